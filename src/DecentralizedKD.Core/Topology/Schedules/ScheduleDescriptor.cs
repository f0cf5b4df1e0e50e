using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// Everything the engine needs to know about one <c>topology.schedule</c>: its name, whether it is the fixed graph
/// (engines then keep the fixed-neighbour path), how summary.md describes it, and how to build it. A new schedule is
/// its <see cref="ITopologySchedule"/>, this descriptor and one line in <see cref="ScheduleRegistry"/>.
/// </summary>
public abstract class ScheduleDescriptor : PluginDescriptor
{
    /// <summary>The same graph and weights in every round: only the <c>static</c> schedule.</summary>
    public virtual bool IsStatic => false;

    public override IReadOnlyList<string> Facts => IsStatic ? ["the same graph every round"] : ["time-varying"];

    /// <summary>The topology as summary.md's run line names it, with the settings the schedule reads.</summary>
    public virtual string Summary(TopologyConfig topology) => $"topology schedule `{Name}`";

    /// <summary>The schedule of one run; impossible settings are one <see cref="InputException"/> line naming the key.</summary>
    public abstract ITopologySchedule Create(ScheduleContext context);

    /// <summary>A section under <c>experiment.topology</c>, for a schedule with keys of its own.</summary>
    protected static ConfigSection OwnSection(string name, string defaults, Func<ISettingsReader, object> read, IReadOnlyList<string>? listKeys = null) =>
        SectionUnder(ScheduleRegistry.SectionRoot, name, defaults, read, listKeys);
}
