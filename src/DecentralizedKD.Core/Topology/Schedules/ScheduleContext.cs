namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>What a schedule is built from: the run's agents and topology settings, and the seed of its random draws.</summary>
/// <param name="StaticGraph">The <c>topology.kind</c> graph (built lazily: a time-varying schedule does not need it).</param>
public sealed record ScheduleContext(
    int Agents,
    Func<(Graph Graph, MixingMatrix Mixing)> StaticGraph,
    MixingKind Mixing,
    double Gamma,
    int Degree,
    int Peers,
    string SequenceFile,
    ulong Seed)
{
    /// <summary>The settings of schedules with sections of their own (<see cref="ScheduleDescriptor.Section"/>).</summary>
    public Plugins.PluginSettings Settings { get; init; } = Plugins.PluginSettings.None;
}
