
namespace DecentralizedKD.Core.Topology.Schedules;

public sealed class SequenceScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "sequence";
    public override string Description => "the edge lists of topology.sequence-file, round-robin";
    public override string Summary(TopologyConfig topology) => $"topology schedule `{Name}` ({topology.SequenceFile})";
    public override ITopologySchedule Create(ScheduleContext context) => new SequenceSchedule(context);
}
