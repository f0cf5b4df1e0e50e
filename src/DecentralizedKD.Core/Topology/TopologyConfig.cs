using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// <c>experiment.topology</c>: the graph family, its mixing weights and shared keys, the schedule, and the typed settings
/// of every registered topology kind's and schedule's section.
/// </summary>
public sealed record TopologyConfig(TopologyKindDescriptor Kind, MixingKind Mixing, double Gamma, string File, double Probability, int Degree,
    ScheduleDescriptor Schedule, int Peers, string SequenceFile, PluginSettings Settings)
{
    /// <summary>The same graph in every round (the <c>static</c> schedule).</summary>
    public bool IsStatic => Schedule.IsStatic;
}
