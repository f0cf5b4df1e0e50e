namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// The per-agent algorithm contract (DESIGN.md §2). An algorithm is a state machine that never sees threads, actors
/// or clocks; the engine drives one iteration as
/// <c>LocalWork → Outgoing (per neighbour) → Receive (each neighbour payload) → Combine</c>.
/// Synchronous, asynchronous and cluster runs all use this one code path.
/// </summary>
public interface IAgentAlgorithm : IDisposable
{
    /// <summary>Local computation of iteration <paramref name="round"/> (0-based). Returns the mean training loss.</summary>
    double LocalWork(int round);

    /// <summary>
    /// The payload for <paramref name="neighbour"/> in this iteration, or null when nothing is sent. Algorithms that
    /// send the same thing to everyone return one shared immutable instance.
    /// </summary>
    Payload? Outgoing(int round, int neighbour);

    /// <summary>How many payloads this agent expects from its neighbours before it can combine (sync mode).</summary>
    int ExpectedPayloads(int round);

    /// <summary>A neighbour's payload arrived.</summary>
    void Receive(Payload payload);

    /// <summary>Combine what was received (e.g. gossip averaging) and finish the iteration.</summary>
    void Combine(int round);

    /// <summary>
    /// Asynchronous mode: combine even if some neighbour was never heard from (its weight goes to the agent's own
    /// parameters). Synchronous mode keeps the strict default, where a missing payload is a protocol error.
    /// </summary>
    void UseSelfForMissingNeighbours() { }

    /// <summary>The agent's current parameters (for evaluation, consensus distance and the averaged model).</summary>
    ReadOnlySpan<float> Parameters { get; }
}
