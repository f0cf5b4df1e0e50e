using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// <c>random-regular</c>: a fresh connected random <c>topology.degree</c>-regular graph every round (the same pairing
/// procedure as <c>topology.kind = regular</c>), drawn from (seed, round), with the configured mixing weights.
/// </summary>
/// <remarks>
/// E[W] is exact (<see cref="ExpectedMixing"/>): the generator pairs stubs in uniformly shuffled order, repairs clashes
/// by reshuffling the leftover stubs and redraws disconnected graphs, and every step treats the agents alike, so the
/// distribution of its labelled graphs is invariant under relabelling (not necessarily uniform over d-regular graphs,
/// which E[W] does not need). Each graph has n·d/2 of the n(n − 1)/2 possible edges, so each edge is present with
/// probability d/(n − 1); every agent has degree d, so uniform weights 1/(d + 1) and Metropolis–Hastings weights
/// 1/(1 + max(d, d)) agree: b = γ·d / ((d + 1)(n − 1)).
/// </remarks>
public sealed class RandomRegularSchedule : RoundGraphSchedule, IExchangeableSchedule
{
    private readonly int _degree;
    private readonly MixingKind _mixing;
    private readonly double _gamma;
    private readonly ulong _seed;

    public RandomRegularSchedule(ScheduleContext c) : base(c.Agents)
    {
        if (c.Degree < 2 || c.Degree >= c.Agents || (long)c.Agents * c.Degree % 2 != 0)
            throw new InputException($"experiment.topology.degree = {c.Degree}: topology.schedule = random-regular on {c.Agents} agents needs 2 <= degree < agents and agents·degree even");
        _degree = c.Degree;
        _mixing = c.Mixing;
        _gamma = c.Gamma;
        _seed = c.Seed;
    }

    public ExchangeableMixing ExpectedMixing()
    {
        // Both mixing kinds give weight 1/(d + 1) on a d-regular graph (the switch keeps a new kind from slipping through).
        double weight = _mixing switch
        {
            MixingKind.Uniform or MixingKind.MetropolisHastings => MixingMatrix.OffDiagonal(_mixing, _degree, _degree),
            _ => throw new ArgumentOutOfRangeException(nameof(_mixing), _mixing, "not a mixing kind"),
        };
        return new ExchangeableMixing(Agents, _gamma * weight * _degree / (Agents - 1));
    }

    protected override RoundLinks Build(int round) =>
        FromGraph(RandomGraphs.Regular(Agents, _degree, Rng.DeriveSeed(_seed, round, "topology-schedule/random-regular")), _mixing, _gamma);
}
