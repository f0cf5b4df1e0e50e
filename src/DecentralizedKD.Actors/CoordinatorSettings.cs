using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Actors;

/// <summary>
/// What the coordinator needs to run the synchronous protocol; no torch, no data. With <see cref="Checkpoints"/> it
/// checkpoints at round boundaries; with <see cref="ResumeFrom"/> it continues a checkpointed run (the agents restore
/// their own state when they are created). <paramref name="Learners"/>: the first agents whose accuracy, loss and
/// parameters enter the row statistics (null = all; FedAvg/FedDKD leave the server, the last agent, out).
/// </summary>
public sealed record CoordinatorSettings(
    int Agents,
    int Rounds,
    IReadOnlyList<IReadOnlyList<int>> Neighbours,
    Func<int, bool> EvaluatesAfter,
    Func<int, double> VirtualTimeAfter,
    RunCheckpoints? Checkpoints = null,
    CoordinatorState? ResumeFrom = null,
    int? Learners = null)
{
    public int LearnerCount => Learners ?? Agents;

    /// <summary>DeathWatch the agents (single process). On a cluster the hosts watch their agents and the coordinator node watches the hosts.</summary>
    public bool WatchAgents { get; init; } = true;

    /// <summary>
    /// Average the agents' parameters into x̄ for the averaged-model accuracy and the consensus distance. False when
    /// agents' models differ: their vectors cannot be combined, and both columns are NaN (n/a).
    /// </summary>
    public bool AverageModels { get; init; } = true;
}
