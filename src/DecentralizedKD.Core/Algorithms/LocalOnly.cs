using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>Baseline: D-PSGD's local momentum steps with no communication — every agent trains alone.</summary>
public sealed class LocalOnly(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps = 1)
    : Dpsgd(source, links, sgd, lr, localSteps)
{
    public override Payload? Outgoing(int round, int phase, int neighbour) => null;
    public override int ExpectedPayloads(int round, int phase) => 0;
    protected override void CombinePhase(int round, int phase) { }

    // No state beyond D-PSGD's (learner and momentum); declared here so the checkpoint support check sees that.
    public override void SaveState(BinaryWriter w) => base.SaveState(w);
    public override void LoadState(BinaryReader r) => base.LoadState(r);
    public override void SaveIterationState(BinaryWriter w) => base.SaveIterationState(w);
    public override void LoadIterationState(BinaryReader r) => base.LoadIterationState(r);
}
