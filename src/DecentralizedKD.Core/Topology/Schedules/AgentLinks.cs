using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// One agent's view of the run's <see cref="ITopologySchedule"/>: what an algorithm asks for each iteration (its row
/// and recipients) instead of holding one fixed row. For the static schedule every round returns the same row object,
/// so the arithmetic is exactly that of a fixed row.
/// </summary>
public sealed class AgentLinks(ITopologySchedule schedule, int self)
{
    public int Self { get; } = self;

    public ITopologySchedule Schedule { get; } = schedule;

    public bool IsStatic => Schedule.IsStatic;

    /// <summary>This agent's mixing row in <paramref name="round"/>: whom it receives from, with which weights.</summary>
    public MixingRow RowAt(int round) => Schedule.Row(Self, round);

    /// <summary>Whom this agent sends to in <paramref name="round"/>.</summary>
    public IReadOnlyList<int> RecipientsAt(int round) => Schedule.Recipients(Self, round);

    /// <summary>A fixed row, for tests and single-round uses (a hand-made row).</summary>
    public static AgentLinks Fixed(MixingRow row) => new(new FixedRowSchedule(row), row.Self);

    /// <summary>A hand-made fixed row where links are expected (algorithm unit tests build agents from one row).</summary>
    public static implicit operator AgentLinks(MixingRow row) => Fixed(row);

    /// <summary>A schedule that knows one agent's fixed row (its recipients are the agents it receives from).</summary>
    private sealed class FixedRowSchedule(MixingRow row) : ITopologySchedule
    {
        public int Agents => Math.Max(row.Self, row.Neighbours.DefaultIfEmpty(-1).Max()) + 1;
        public bool IsStatic => true;
        public int Period => 1;
        public MixingRow Row(int agent, int round) => agent == row.Self ? row : throw new ArgumentOutOfRangeException(nameof(agent));
        public IReadOnlyList<int> Recipients(int agent, int round) => Row(agent, round).Neighbours;
        public IReadOnlyList<int> PossiblePeers(int agent) => Row(agent, 0).Neighbours;
    }
}
