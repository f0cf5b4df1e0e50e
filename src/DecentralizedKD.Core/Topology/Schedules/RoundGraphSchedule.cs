using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// Base of the schedules that draw or look up a whole graph per round: the round's rows and recipient lists are built
/// once and cached for the few rounds agents are in at the same time (all of them at once in synchronous runs, a
/// window in asynchronous ones). Building is a pure function of the round, so an evicted round rebuilt later is identical.
/// </summary>
public abstract class RoundGraphSchedule(int agents) : ITopologySchedule
{
    private const int CachedRounds = 64;
    private readonly Dictionary<int, RoundLinks> _cache = [];
    private readonly Queue<int> _order = new();
    private readonly Lock _lock = new();

    public int Agents { get; } = agents;
    public bool IsStatic => false;
    public virtual int Period => 0;

    public MixingRow Row(int agent, int round) => Links(round).Rows[agent];

    public IReadOnlyList<int> Recipients(int agent, int round) => Links(round).Recipients[agent];

    public virtual IReadOnlyList<int> PossiblePeers(int agent) => new AllOtherAgents(Agents, agent);

    /// <summary>Round <paramref name="round"/>'s rows (receivers' view) and recipient lists (senders' view), both ascending.</summary>
    protected abstract RoundLinks Build(int round);

    private RoundLinks Links(int round)
    {
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), round, "rounds start at 0");
        lock (_lock)
        {
            if (_cache.TryGetValue(round, out var cached)) return cached;
        }
        var built = Build(round); // outside the lock: a race builds the same links twice, never different ones
        lock (_lock)
        {
            if (_cache.TryGetValue(round, out var cached)) return cached;
            _cache[round] = built;
            _order.Enqueue(round);
            while (_order.Count > CachedRounds) _cache.Remove(_order.Dequeue());
            return built;
        }
    }

    /// <summary>Links of a directed round from each agent's recipients: receivers average with equal weights.</summary>
    protected static RoundLinks FromRecipients(int[][] recipients, double gamma)
    {
        int n = recipients.Length;
        var senders = new List<int>[n];
        for (int i = 0; i < n; i++) senders[i] = [];
        for (int i = 0; i < n; i++)       // ascending senders: every receiver's list comes out sorted
            foreach (int j in recipients[i]) senders[j].Add(i);
        var rows = new MixingRow[n];
        for (int i = 0; i < n; i++) rows[i] = MixingRows.EqualWeights(i, [.. senders[i]], gamma);
        return new RoundLinks(rows, recipients);
    }

    /// <summary>Links of an undirected round: everyone sends to and receives from its neighbours.</summary>
    protected static RoundLinks FromGraph(Graph graph, MixingKind kind, double gamma)
    {
        var rows = MixingRows.FromGraph(graph, kind, gamma);
        return new RoundLinks(rows, rows.Select(r => r.Neighbours).ToArray());
    }
}

/// <summary>One round's communication: each agent's mixing row (whom it receives from) and whom it sends to.</summary>
public sealed record RoundLinks(MixingRow[] Rows, IReadOnlyList<int>[] Recipients);
