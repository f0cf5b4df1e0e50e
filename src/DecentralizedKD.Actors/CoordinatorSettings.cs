namespace DecentralizedKD.Actors;

/// <summary>What the coordinator needs to run the synchronous protocol; no torch, no data.</summary>
public sealed record CoordinatorSettings(
    int Agents,
    int Rounds,
    IReadOnlyList<IReadOnlyList<int>> Neighbours,
    Func<int, bool> EvaluatesAfter,
    Func<int, double> VirtualTimeAfter);
