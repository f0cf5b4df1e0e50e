using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Optimization;

/// <summary><c>optimizer.schedule.kind</c>: the learning-rate decay after warm-up.</summary>
public enum ScheduleKind
{
    Constant,
    Step,
    Cosine,
}

public static class ScheduleKinds
{
    public static readonly KeywordTable<ScheduleKind> Table = new(("constant", ScheduleKind.Constant), ("step", ScheduleKind.Step), ("cosine", ScheduleKind.Cosine));

    public static string Name(this ScheduleKind kind) => Table.NameOf(kind);
}
