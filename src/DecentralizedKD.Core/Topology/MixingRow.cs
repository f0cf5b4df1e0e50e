namespace DecentralizedKD.Core.Topology;

/// <summary>
/// One agent's row of the mixing matrix: its own weight and its neighbours' weights, neighbours sorted ascending.
/// Combining always iterates in this order, never in arrival order, so results are identical however messages race.
/// </summary>
public sealed record MixingRow(int Self, double SelfWeight, IReadOnlyList<int> Neighbours, IReadOnlyList<double> Weights)
{
    public int Degree => Neighbours.Count;
}
