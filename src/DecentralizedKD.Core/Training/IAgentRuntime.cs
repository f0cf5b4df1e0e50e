using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Everything one agent owns: its algorithm state machine (model, optimizer state, data view and RNG streams inside)
/// and a way to evaluate itself. The actor layer holds exactly one of these per AgentActor and never shares it.
/// </summary>
public interface IAgentRuntime : IDisposable
{
    int Id { get; }
    IAgentAlgorithm Algorithm { get; }

    /// <summary>
    /// Whom this phase's payloads go to (ascending) under a time-varying <c>topology.schedule</c>; null under a static
    /// one, where the engine sends to every neighbour it was given (the algorithm returns null for those it skips).
    /// </summary>
    IReadOnlyList<int>? Recipients(int round, int phase) => null;

    /// <summary>Whose payloads this phase waits for under a time-varying schedule (null: every neighbour, static).</summary>
    IReadOnlyList<int>? Senders(int round, int phase) => null;

    /// <summary>The run's pool of parameter-sized buffers (null: allocate), e.g. for the evaluation's parameter copy.</summary>
    Memory.FloatBufferPool? BufferPool => null;

    /// <summary>Test accuracy (fraction in [0,1]) of the agent's current model.</summary>
    double EvaluateAccuracy();

    /// <summary>Whether the evaluation after <paramref name="completedRounds"/> tests this agent (<c>eval.sample-agents</c>).</summary>
    bool EvaluatedAfter(int completedRounds) => true;

    /// <summary>The accuracy to report after <paramref name="completedRounds"/>: NaN (no test pass) when not in the sample.</summary>
    double SampledAccuracy(int completedRounds) => EvaluatedAfter(completedRounds) ? EvaluateAccuracy() : double.NaN;
}

/// <summary>Evaluates arbitrary parameter vectors (e.g. the averaged model x̄) on the test set.</summary>
public interface IParameterEvaluator : IDisposable
{
    double Accuracy(ReadOnlySpan<float> parameters);
}
