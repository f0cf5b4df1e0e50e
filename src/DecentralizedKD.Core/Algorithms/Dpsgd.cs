using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// D-PSGD / DSGDm(-N), adapt-then-combine: m ← βm + g; d = g + βm (Nesterov) or m;
/// x ← x − ηd; then x ← Σ_j w_ij x_j. The momentum buffer is local and never gossiped.
/// </summary>
public class Dpsgd(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps = 1)
    : GossipAlgorithm(source, links, sgd, lr, localSteps), ICheckpointable, IIterationState
{
    private readonly MomentumStep _momentum = new(source.Parameters.Length);

    public override void LocalWork(int round) => LastLoss = LocalMomentumSteps(round, _momentum);

    protected override void CombinePhase(int round, int phase) => Mix(round);

    protected override long? MethodStateBytes => _momentum.Bytes;

    /// <summary>Learner and momentum buffer. A subclass with state of its own must override both (see CheckpointSupport).</summary>
    public virtual void SaveState(BinaryWriter w)
    {
        w.WriteTag("dpsgd");
        SaveSourceState(w);
        _momentum.SaveState(w);
    }

    public virtual void LoadState(BinaryReader r)
    {
        r.ExpectTag("dpsgd");
        LoadSourceState(r);
        _momentum.LoadState(r);
    }

    /// <summary>The momentum buffer carries across iterations only; inside one, the gossip state is all there is.</summary>
    public virtual void SaveIterationState(BinaryWriter w) => SaveGossipIterationState(w);

    public virtual void LoadIterationState(BinaryReader r) => LoadGossipIterationState(r);
}
