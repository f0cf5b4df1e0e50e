
namespace DecentralizedKD.Core.Topology.Schedules;

public sealed class RandomPushScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "random-push";
    public override string Description => "each agent sends to topology.peers random others; receivers average equally (Epidemic Learning)";
    public override string Summary(TopologyConfig topology) => $"topology schedule `{Name}` ({topology.Peers} random peer(s) per agent each round)";
    public override ITopologySchedule Create(ScheduleContext context) => new RandomPushSchedule(context);
}
