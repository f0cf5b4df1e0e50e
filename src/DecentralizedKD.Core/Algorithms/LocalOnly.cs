using DecentralizedKD.Core.Optimization;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>Baseline: every agent trains alone with momentum SGD; nothing is sent.</summary>
public sealed class LocalOnly(IGradientSource source, MixingRow row, SgdSettings sgd, LearningRateSchedule lr, int localSteps = 1)
    : GossipAlgorithm(source, row, sgd, lr, localSteps)
{
    private readonly MomentumStep _momentum = new(source.Parameters.Length);

    public override double LocalWork(int round) => LocalMomentumSteps(round, _momentum);

    public override Payload? Outgoing(int round, int neighbour) => null;
    public override int ExpectedPayloads(int round) => 0;
    public override void Combine(int round) { }
}
