using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// <c>one-peer-exponential</c> (Ying et al., 2021): with τ = ⌈log2 n⌉, in round t agent i sends to
/// (i + 2^(t mod τ)) mod n and receives from (i − 2^(t mod τ)) mod n; it keeps weight 1/2 and gives 1/2 to what it
/// received (scaled by <c>topology.gamma</c>). Every W_t is doubly stochastic, and for n = 2^k the product over one
/// period is exactly the averaging matrix: k rounds of pure gossip reach the exact mean.
/// </summary>
public sealed class OnePeerExponentialSchedule : ITopologySchedule
{
    private readonly double _gamma;
    private readonly int _period;

    public OnePeerExponentialSchedule(ScheduleContext c)
    {
        if (c.Agents < 2) throw new InputException($"experiment.agents = {c.Agents}: topology.schedule = one-peer-exponential needs at least 2 agents");
        Agents = c.Agents;
        _gamma = c.Gamma;
        while ((1L << _period) < c.Agents) _period++;        // ⌈log2 n⌉ in integers: exact at powers of two
    }

    public int Agents { get; }
    public bool IsStatic => false;
    public int Period => _period;

    private int Hop(int round) => 1 << (round % _period);

    public MixingRow Row(int agent, int round)
    {
        int from = ((agent - Hop(round)) % Agents + Agents) % Agents;
        return MixingRows.EqualWeights(agent, [from], _gamma);
    }

    public IReadOnlyList<int> Recipients(int agent, int round) => [(agent + Hop(round)) % Agents];

    public IReadOnlyList<int> PossiblePeers(int agent)
    {
        var peers = new SortedSet<int>();
        for (int k = 0; k < _period; k++)
        {
            peers.Add((agent + (1 << k)) % Agents);
            peers.Add(((agent - (1 << k)) % Agents + Agents) % Agents);
        }
        peers.Remove(agent);
        return [.. peers];
    }
}
