namespace DecentralizedKD.Core.Topology;

/// <summary>Parameters only some topology kinds use: seed (random graphs), edge probability, degree, edge-list file.</summary>
public sealed record TopologyOptions
{
    public ulong Seed { get; init; }
    public double Probability { get; init; } = 0.2;
    public int Degree { get; init; } = 4;
    public string File { get; init; } = "";
}
