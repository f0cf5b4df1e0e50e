using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// The <c>topology.schedule</c> names. A new schedule is one file (an <see cref="ITopologySchedule"/> with its
/// descriptor) plus one line here; the config reader, validation, <c>dkd topology --schedule</c>, <c>dkd list
/// schedules</c> and the docs' list read this registry.
/// </summary>
public static class ScheduleRegistry
{
    public const string SectionRoot = "experiment.topology";

    public static PluginRegistry<ScheduleDescriptor> Registry { get; } = new("schedule", "schedules", "experiment.topology.schedule", SectionRoot,
    [
        new StaticScheduleDescriptor(),
        new RandomRegularScheduleDescriptor(),
        new RandomPushScheduleDescriptor(),
        new OnePeerExponentialScheduleDescriptor(),
        new SequenceScheduleDescriptor(),
    ]);

    /// <summary>Adds a schedule defined outside the engine (see <see cref="PluginRegistry{T}.Register"/>).</summary>
    public static void Register(ScheduleDescriptor descriptor) => Registry.Register(descriptor);

    /// <summary>The schedule called <paramref name="name"/>; an unknown name is one input error listing the known ones.</summary>
    public static ScheduleDescriptor Get(string name) => Registry.Get(name);
}
