using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// <c>random-regular</c>: a fresh connected random <c>topology.degree</c>-regular graph every round (the same pairing
/// procedure as <c>topology.kind = regular</c>), drawn from (seed, round), with the configured mixing weights.
/// </summary>
public sealed class RandomRegularSchedule : RoundGraphSchedule
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

    protected override RoundLinks Build(int round) =>
        FromGraph(RandomGraphs.Regular(Agents, _degree, Rng.DeriveSeed(_seed, round, "topology-schedule/random-regular")), _mixing, _gamma);
}
