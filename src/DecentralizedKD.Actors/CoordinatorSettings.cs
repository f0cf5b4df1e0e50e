namespace DecentralizedKD.Actors;

/// <summary>What the coordinator needs to run the synchronous protocol; no torch, no data.</summary>
public sealed record CoordinatorSettings(
    int Agents,
    int Rounds,
    IReadOnlyList<IReadOnlyList<int>> Neighbours,
    Func<int, bool> EvaluatesAfter,
    Func<int, double> VirtualTimeAfter)
{
    /// <summary>DeathWatch the agents (single process). On a cluster the hosts watch their agents and the coordinator node watches the hosts.</summary>
    public bool WatchAgents { get; init; } = true;
}
