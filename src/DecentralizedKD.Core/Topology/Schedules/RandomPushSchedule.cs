using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// <c>random-push</c> (Epidemic Learning, EL-Local): every round each agent sends to <c>topology.peers</c> distinct
/// uniformly random other agents, drawn from (seed, round, agent); an agent averages itself and everything it received
/// that round with equal weights (scaled by <c>topology.gamma</c>, 1 by default). In-degrees vary, so the mixing
/// matrix is row- but not column-stochastic.
/// </summary>
/// <remarks>
/// E[W] is exact (<see cref="ExpectedMixing"/>): each agent picks a uniformly random set of peers independently of
/// the others, which treats all agents alike. A receiver's in-degree D counts the n − 1 others that picked it, each
/// with probability p = peers/(n − 1) independently: D ~ Binomial(n − 1, p). Its row keeps 1 − γ·D/(D + 1) and sums
/// to 1, so b = γ·E[D/(D + 1)]/(n − 1), with E[1/(D + 1)] = (1 − (1 − p)^n)/(n·p) for a binomial.
/// </remarks>
public sealed class RandomPushSchedule : RoundGraphSchedule, IExchangeableSchedule
{
    private readonly int _peers;
    private readonly double _gamma;
    private readonly ulong _seed;

    public RandomPushSchedule(ScheduleContext c) : base(c.Agents)
    {
        if (c.Peers < 1 || c.Peers >= c.Agents)
            throw new InputException($"experiment.topology.peers = {c.Peers}: topology.schedule = random-push on {c.Agents} agents needs 1 <= peers < agents");
        _peers = c.Peers;
        _gamma = c.Gamma;
        _seed = c.Seed;
    }

    public ExchangeableMixing ExpectedMixing()
    {
        int n = Agents;
        double p = (double)_peers / (n - 1);
        double meanInverse = (1 - Math.Pow(1 - p, n)) / (n * p);   // E[1/(D + 1)], D ~ Binomial(n − 1, p)
        return new ExchangeableMixing(n, _gamma * (1 - meanInverse) / (n - 1));
    }

    protected override RoundLinks Build(int round)
    {
        ulong roundSeed = Rng.DeriveSeed(_seed, round, "topology-schedule/random-push");
        var recipients = new int[Agents][];
        for (int i = 0; i < Agents; i++) recipients[i] = DrawPeers(Rng.Derive(roundSeed, i, "peers"), i);
        return FromRecipients(recipients, _gamma);
    }

    /// <summary><see cref="_peers"/> distinct agents other than <paramref name="self"/>, ascending.</summary>
    private int[] DrawPeers(Rng rng, int self)
    {
        int others = Agents - 1;
        var chosen = new HashSet<int>(_peers);
        if (2 * _peers <= others)
        {
            // Few peers among many agents: rejection is O(peers), where a shuffle would be O(agents) per agent.
            while (chosen.Count < _peers)
            {
                int k = rng.NextInt(others);
                chosen.Add(k < self ? k : k + 1);
            }
        }
        else
        {
            var all = new AllOtherAgents(Agents, self).ToArray();
            rng.Shuffle<int>(all);
            for (int k = 0; k < _peers; k++) chosen.Add(all[k]);
        }
        var sorted = chosen.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
