using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// CCL — cross-feature contrastive loss on top of QGM (the reference code's order). Iteration t:
/// <list type="number">
/// <item>phase 0: send x_i^t; receive the neighbours' x_j^t and keep them un-mixed;</item>
/// <item>mix with rate γ (in the mixing row); CCL's QGM correction m ← m − (x^{t+½} − x^t)/η_prev;</item>
/// <item>model-variant cross-features: the own batch through each neighbour's received parameters (scratch model);
/// their class sums + counts are what neighbour j receives in phase 1 (the own data under j's model);</item>
/// <item>phase 1 combine: the neighbourhood class means z̄_c from own + received sums; loss
/// CE + λ_m Σ_j MSE(z_i, z_{j→i}) + λ_d MSE(z_i, z̄_y) (or the InfoNCE form); m ← βm + g; d = g + βm (Nesterov);
/// x ← x − ηd.</item>
/// </list>
/// With <c>qgm = false</c> the correction is skipped (DSGDm-N with the same gossip order, CCL's λ = 0 baseline when the
/// loss weights are 0 too).
/// </summary>
public sealed class Ccl : GossipAlgorithm, ICheckpointable, IIterationState
{
    private readonly ICrossFeatureLearner _learner;
    private readonly bool _qgm;
    private readonly MomentumStep _momentum;
    private readonly float[] _beforeMix;
    private readonly Dictionary<int, FeatureSumsPayload> _outgoingSums = [];
    private readonly Dictionary<int, FeatureSumsPayload> _receivedSums = [];
    private readonly List<float[]> _crossFeatures = [];
    private float _previousEta = float.NaN;

    public Ccl(ICrossFeatureLearner learner, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, bool qgm)
        : base(learner, links, sgd, lr, localSteps: 1)
    {
        _learner = learner;
        _qgm = qgm;
        _momentum = new MomentumStep(learner.Parameters.Length);
        _beforeMix = new float[learner.Parameters.Length];
    }

    public ReadOnlySpan<float> Buffer => _momentum.Buffer;

    public override int Phases(int round) => 2;

    protected override long? MethodStateBytes => _momentum.Bytes + 4L * _beforeMix.Length;

    public override void LocalWork(int round) => _learner.NextBatch();

    public override Payload? Outgoing(int round, int phase, int neighbour) =>
        phase == 0 ? base.Outgoing(round, phase, neighbour) : _outgoingSums.GetValueOrDefault(neighbour);

    /// <summary>
    /// Phase 0 waits for the parameters of the agents it receives from; phase 1 for the feature sums of the agents it
    /// sent its parameters to (each computes its own data's features under this agent's model). On an undirected graph
    /// both are the neighbours; on a directed round (random-push, one-peer-exponential) the sums travel back along the
    /// parameter edges.
    /// </summary>
    public override int ExpectedPayloads(int round, int phase) => phase == 0 ? RowAt(round).Degree : Links.RecipientsAt(round).Count;

    /// <summary>Phase 1 goes back to whoever sent parameters in phase 0 (the schedule's recipients otherwise).</summary>
    public override IReadOnlyList<int>? Recipients(int round, int phase) => phase == 1 && !Links.IsStatic ? RowAt(round).Neighbours : null;

    /// <summary>Phase 1's sums come from the agents this one sent its parameters to.</summary>
    public override IReadOnlyList<int>? Senders(int round, int phase) => phase == 1 && !Links.IsStatic ? Links.RecipientsAt(round) : null;

    public override void Receive(Payload payload)
    {
        if (payload is not FeatureSumsPayload sums) { base.Receive(payload); return; }
        if (!_receivedSums.TryGetValue(sums.Sender, out var held) || held.Round <= sums.Round) _receivedSums[sums.Sender] = sums;
    }

    protected override void CombinePhase(int round, int phase)
    {
        if (phase == 0) MixAndCrossFeatures(round);
        else LossAndStep(round);
    }

    private void MixAndCrossFeatures(int round)
    {
        float eta = (float)Lr.At(round);
        var x = Source.Parameters;
        x.CopyTo(_beforeMix);
        Mix(round);
        if (_qgm)
        {
            // m ← m − (x_mixed − x)/η_prev: the buffer absorbs the gossip displacement. Before the first step there is
            // no previous rate; the current one is used (the buffer is still zero, so only the scale differs).
            float inv = 1f / (float.IsNaN(_previousEta) ? eta : _previousEta);
            _momentum.AddScaled(-inv, x);
            _momentum.AddScaled(inv, _beforeMix);
        }
        _outgoingSums.Clear();
        _crossFeatures.Clear();
        foreach (int j in RowAt(round).Neighbours)
        {
            // Neighbour j's un-mixed x_j^t. In asynchronous runs it may be missing (dropped/offline): no cross-feature.
            var p = ReceivedParameters(j);
            if (p is null) continue;
            var cross = _learner.FeaturesUnder(p.Parameters);
            _crossFeatures.Add(cross.Features);
            _outgoingSums[j] = new FeatureSumsPayload(round, Self, cross.ClassSums, cross.ClassCounts) { Phase = 1 };
        }
    }

    private void LossAndStep(int round)
    {
        int c = _learner.NumClasses, d = _learner.FeatureDim;
        var sums = new float[c * d];
        var counts = new float[c];
        foreach (int j in Links.RecipientsAt(round))
        {
            if (!_receivedSums.TryGetValue(j, out var s)) continue;
            FlatMath.Axpy(1f, s.Sums, sums);
            FlatMath.Axpy(1f, s.Counts, counts);
        }
        _learner.SetTargets(_crossFeatures, sums, counts);
        float eta = (float)Lr.At(round);
        LastLoss = GradientWithWeightDecay();
        _momentum.Apply(Source.Parameters, Source.Gradients, eta, (float)Sgd.Momentum, Sgd.Nesterov);
        _previousEta = eta;
    }

    /// <summary>
    /// Learner, momentum buffer and the previous learning rate (the QGM correction of the next iteration divides by it;
    /// NaN before the first step). Everything else (pre-mix copy, feature sums, cross-features) is rebuilt every
    /// iteration before use; in a synchronous run every neighbour's sums are replaced in each phase 1.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("ccl");
        w.Write(_qgm);
        SaveSourceState(w);
        _momentum.SaveState(w);
        w.Write(_previousEta);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("ccl");
        if (r.ReadBoolean() != _qgm) throw new InvalidDataException($"saved CCL state has qgm = {!_qgm}, this run has {_qgm}");
        LoadSourceState(r);
        _momentum.LoadState(r);
        _previousEta = r.ReadSingle();
    }

    /// <summary>
    /// Asynchronous checkpoints: the phase-0 results used by phase 1 (outgoing sums, cross-features), the neighbours'
    /// latest sums and the learner's batch of this iteration. <c>_beforeMix</c> lives inside one Combine call.
    /// </summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteTag("ccl-iteration");
        SaveGossipIterationState(w);
        PayloadState.WriteBySender(w, _outgoingSums);
        PayloadState.WriteBySender(w, _receivedSums);
        w.Write(_crossFeatures.Count);
        foreach (var f in _crossFeatures) w.WriteFloats(f);
        LearnerIterationState().SaveIterationState(w);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ExpectTag("ccl-iteration");
        LoadGossipIterationState(r);
        PayloadState.ReadBySender(r, _outgoingSums, "outgoing feature sums");
        PayloadState.ReadBySender(r, _receivedSums, "received feature sums");
        _crossFeatures.Clear();
        for (int n = r.ReadCount(4, "cross-features"); n > 0; n--) _crossFeatures.Add(r.ReadFloatArray("cross-features"));
        LearnerIterationState().LoadIterationState(r);
    }

    private IIterationState LearnerIterationState() =>
        _learner as IIterationState ?? throw new NotSupportedException($"its learner {_learner.GetType().Name} does not implement IIterationState");
}
