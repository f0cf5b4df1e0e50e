namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// The registry of <c>topology.schedule</c> names. A new schedule is one file (an <see cref="ITopologySchedule"/>)
/// plus one line here; the config reader, validation, <c>dkd topology --schedule</c> and the docs' list read this table.
/// </summary>
public static class TopologySchedules
{
    private static readonly (string Name, string Description, Func<ScheduleContext, ITopologySchedule> Create)[] Table =
    [
        ("static", "the topology.kind graph in every round", c => { var (g, w) = c.StaticGraph(); return new StaticSchedule(g, w); }),
        ("random-regular", "a fresh connected random topology.degree-regular graph each round", c => new RandomRegularSchedule(c)),
        ("random-push", "each agent sends to topology.peers random others; receivers average equally (Epidemic Learning)", c => new RandomPushSchedule(c)),
        ("one-peer-exponential", "round t: i sends to i + 2^(t mod ceil(log2 n)), weights 1/2", c => new OnePeerExponentialSchedule(c)),
        ("sequence", "the edge lists of topology.sequence-file, round-robin", c => new SequenceSchedule(c)),
    ];

    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Table.Select(t => t.Name).ToArray());

    public static string Describe(string name) => Table.First(t => t.Name == name).Description;

    /// <summary>The schedule called <paramref name="name"/>; an unknown name is one input error listing the known ones.</summary>
    public static ITopologySchedule Create(string name, ScheduleContext context)
    {
        foreach (var (n, _, create) in Table)
            if (n == name) return create(context);
        throw new InputException($"experiment.topology.schedule = '{name}': unknown schedule, expected one of {string.Join(" | ", Names)}");
    }
}
