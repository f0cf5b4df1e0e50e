
namespace DecentralizedKD.Core.Topology.Schedules;

public sealed class StaticScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "static";
    public override string Description => "the topology.kind graph in every round";
    public override bool IsStatic => true;
    public override string Summary(TopologyConfig topology) => $"topology `{topology.Kind.Name}`";

    public override ITopologySchedule Create(ScheduleContext context)
    {
        var (graph, mixing) = context.StaticGraph();
        return new StaticSchedule(graph, mixing);
    }
}
