namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Parameters that only some topology kinds read: <see cref="Seed"/> (erdos-renyi, regular), <see cref="Probability"/>
/// (erdos-renyi edge probability p), <see cref="Degree"/> (regular degree d) and <see cref="File"/> (edge-list path).
/// Other kinds ignore them, so one options object can travel with any kind.
/// </summary>
public sealed record TopologyOptions
{
    public ulong Seed { get; init; }
    public double Probability { get; init; } = 0.2;
    public int Degree { get; init; } = 4;
    public string File { get; init; } = "";

    /// <summary>The settings of topology kinds with sections of their own (<see cref="Kinds.TopologyKindDescriptor.Section"/>).</summary>
    public Plugins.PluginSettings Settings { get; init; } = Plugins.PluginSettings.None;
}
