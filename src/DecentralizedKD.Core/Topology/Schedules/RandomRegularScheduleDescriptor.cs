
namespace DecentralizedKD.Core.Topology.Schedules;

public sealed class RandomRegularScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "random-regular";
    public override string Description => "a fresh connected random topology.degree-regular graph each round";
    public override string Summary(TopologyConfig topology) => $"topology schedule `{Name}` (a fresh degree-{topology.Degree} graph each round)";
    public override ITopologySchedule Create(ScheduleContext context) => new RandomRegularSchedule(context);
}
