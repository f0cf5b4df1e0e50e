namespace DecentralizedKD.Core.Topology.Schedules;

public sealed class OnePeerExponentialScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "one-peer-exponential";
    public override string Description => "round t: i sends to i + 2^(t mod ceil(log2 n)), weights 1/2";
    public override ITopologySchedule Create(ScheduleContext context) => new OnePeerExponentialSchedule(context);
}
