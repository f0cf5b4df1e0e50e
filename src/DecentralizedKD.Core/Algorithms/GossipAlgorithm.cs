using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Memory;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// Shared machinery of parameter-gossip methods: one immutable snapshot of x per iteration shared by all
/// neighbours, the latest payload per neighbour, and the mixing step x ← w_ii·x + Σ_j w_ij·x_j.
/// With a buffer pool (<see cref="UseBufferPool"/>) the snapshot is a pooled buffer: this agent holds it until its next
/// snapshot, each receiver holds the payload it keeps until a newer one of the same sender replaces it, and the last
/// release returns the buffer for the next snapshot, so steady-state iterations allocate no large arrays. In synchronous
/// runs (<see cref="ReleasePayloadsAfterEachIteration"/>) receivers let go as soon as the iteration is combined, so the
/// sender is the last holder and gets the same buffer back: one pooled snapshot per agent instead of two.
/// </summary>
public abstract class GossipAlgorithm : IAgentAlgorithm
{
    private readonly Dictionary<int, ParameterPayload> _received = [];
    private float[]? _mixed;
    private ParameterPayload? _snapshot;
    private FloatBufferPool? _pool;
    private bool _releaseAfterIteration;

    protected GossipAlgorithm(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps)
    {
        if (localSteps < 1) throw new InputException($"optimizer.local-steps must be >= 1, got {localSteps}");
        Source = source;
        Links = links;
        Sgd = sgd;
        Lr = lr;
        LocalSteps = localSteps;
    }

    protected IGradientSource Source { get; }
    /// <summary>Whom this agent receives from (its mixing row) and sends to, per iteration (<c>topology.schedule</c>).</summary>
    protected AgentLinks Links { get; }

    /// <summary>This agent's id.</summary>
    protected int Self => Links.Self;

    /// <summary>Iteration <paramref name="round"/>'s mixing row.</summary>
    protected MixingRow RowAt(int round) => Links.RowAt(round);
    protected SgdSettings Sgd { get; }
    protected LearningRateSchedule Lr { get; }
    protected int LocalSteps { get; }

    public ReadOnlySpan<float> Parameters => Source.Parameters;

    public virtual int Phases(int round) => 1;

    public abstract void LocalWork(int round);

    public double LastLoss { get; protected set; }

    public void UseBufferPool(FloatBufferPool pool) => _pool = pool;

    /// <summary>The method's own per-agent arrays (see <see cref="IAgentAlgorithm.StateBytes"/>), plus the mixing scratch when unpooled.</summary>
    public long? StateBytes => MethodStateBytes + 4L * (_mixed?.Length ?? 0);

    /// <summary>Bytes of the subclass's per-agent arrays (momentum buffers, copies of x); null: not declared.</summary>
    protected virtual long? MethodStateBytes => null;

    public virtual Payload? Outgoing(int round, int phase, int neighbour)
    {
        if (_snapshot is null || _snapshot.Round != round)
        {
            // The previous snapshot is released only now: in a synchronous run every receiver has taken its own hold
            // before the round ended; in an asynchronous one each message in flight holds it.
            _snapshot?.Release();
            _snapshot = _pool is null
                ? new ParameterPayload(round, Self, Source.Parameters.ToArray())
                : ParameterPayload.Pooled(round, Self, Source.Parameters, _pool);
        }
        return _snapshot;
    }

    public virtual int ExpectedPayloads(int round, int phase) => RowAt(round).Degree;

    public virtual IReadOnlyList<int>? Recipients(int round, int phase) => null;

    public virtual IReadOnlyList<int>? Senders(int round, int phase) => null;

    public virtual void Receive(Payload payload)
    {
        if (payload is not ParameterPayload p)
            throw new InvalidOperationException($"agent {Self}: unexpected payload kind {payload.Kind} from {payload.Sender}");
        // Keep the freshest payload per neighbour: with random latencies a newer one can arrive first.
        if (!_received.TryGetValue(p.Sender, out var held) || held.Round <= p.Round)
        {
            p.Retain();   // before releasing the held one: they may be the same payload
            held?.Release();
            _received[p.Sender] = p;
        }
    }

    /// <summary>The latest parameters received from <paramref name="neighbour"/> (un-mixed), if any.</summary>
    protected ParameterPayload? ReceivedParameters(int neighbour) => _received.GetValueOrDefault(neighbour);

    private bool _missingUsesSelf;

    public void UseSelfForMissingNeighbours() => _missingUsesSelf = true;

    /// <summary>Whether a neighbour never heard from may be combined as "nothing received" (asynchronous runs, lost hosts).</summary>
    protected bool MissingNeighboursUseSelf => _missingUsesSelf;

    public void Combine(int round, int phase)
    {
        CombinePhase(round, phase);
        if (_releaseAfterIteration && phase == Phases(round) - 1) ReleaseReceivedPayloads();
    }

    /// <summary>Uses what was received in exchange <paramref name="phase"/> of iteration <paramref name="round"/>.</summary>
    protected abstract void CombinePhase(int round, int phase);

    /// <summary>
    /// Synchronous rounds: every neighbour of an iteration sends a newer payload before the next Combine reads one, so
    /// received payloads are let go once the iteration's last exchange is combined (before the round barrier). A sender
    /// is then its snapshot's last holder and rents the same buffer back for its next one. Not for asynchronous runs or
    /// runs that go on without a lost host, which combine with a silent neighbour's last payload.
    /// </summary>
    public void ReleasePayloadsAfterEachIteration() => _releaseAfterIteration = true;

    public void RoundClosed(int round)
    {
        if (!_releaseAfterIteration || _snapshot is null || _snapshot.Round > round) return;
        _snapshot.Release();
        _snapshot = null;
    }

    /// <summary>
    /// x ← w_ii·x + Σ_j w_ij·x_j over iteration <paramref name="round"/>'s row, with the latest payload received from
    /// each j. In asynchronous runs a neighbour that has not been heard from yet (dropped, offline) contributes the
    /// agent's own x instead, so W stays stochastic. Under a time-varying schedule the row changes per iteration and the
    /// latest payload of a sender is whatever it sent last (in synchronous runs: this round's).
    /// </summary>
    protected void Mix(int round)
    {
        var x = Source.Parameters;
        var row = RowAt(round);
        // The mixed vector is only needed inside this call: with a pool it is a rented scratch buffer, not a per-agent array.
        var scratch = _pool?.Rent(x.Length);
        var mixed = scratch?.Array ?? (_mixed ??= new float[x.Length]);
        try
        {
            FlatMath.Scale((float)row.SelfWeight, x, mixed);
            for (int k = 0; k < row.Neighbours.Count; k++)
            {
                int j = row.Neighbours[k];
                if (_received.TryGetValue(j, out var p)) FlatMath.Axpy((float)row.Weights[k], p.Parameters, mixed);
                else if (_missingUsesSelf) FlatMath.Axpy((float)row.Weights[k], x, mixed); // nothing heard yet: keep own weight
                else throw new InvalidOperationException($"agent {Self}: no parameters from neighbour {j} to combine");
            }
            mixed.CopyTo(x);
        }
        finally
        {
            scratch?.Release();
        }
    }

    /// <summary>g ← ∇F + λ·x (weight decay folded into the gradient before momentum, as in all reference codes).</summary>
    protected double GradientWithWeightDecay()
    {
        double loss = Source.ComputeGradient();
        if (Sgd.WeightDecay != 0) FlatMath.Axpy((float)Sgd.WeightDecay, Source.Parameters, Source.Gradients);
        return loss;
    }

    /// <summary><see cref="LocalSteps"/> momentum-SGD steps with the round's learning rate; returns the mean loss.</summary>
    protected double LocalMomentumSteps(int round, MomentumStep momentum)
    {
        double loss = 0;
        float eta = (float)Lr.At(round);
        for (int s = 0; s < LocalSteps; s++)
        {
            loss += GradientWithWeightDecay();
            momentum.Apply(Source.Parameters, Source.Gradients, eta, (float)Sgd.Momentum, Sgd.Nesterov);
        }
        return loss / LocalSteps;
    }

    /// <summary>
    /// Checkpoint helpers for subclasses that implement <see cref="ICheckpointable"/>: the learner's state (parameters,
    /// batch stream). The latest received payloads and the outgoing snapshot are not saved: at a synchronous round
    /// boundary every neighbour's payload is replaced in the next round before it is used, and the snapshot is rebuilt.
    /// </summary>
    protected void SaveSourceState(BinaryWriter w) => SourceState().SaveState(w);

    protected void LoadSourceState(BinaryReader r) => SourceState().LoadState(r);

    /// <summary>
    /// Iteration-state helpers (asynchronous checkpoints, see <see cref="IIterationState"/>): the latest payload of each
    /// neighbour (mixed by the next Combine), this iteration's outgoing snapshot and the last loss (set by LocalWork in
    /// most methods, read when the iteration ends, possibly windows later).
    /// </summary>
    protected void SaveGossipIterationState(BinaryWriter w)
    {
        w.WriteTag("gossip-iteration");
        w.Write(LastLoss);
        PayloadState.WriteBySender(w, _received);
        PayloadState.WriteOptional(w, _snapshot);
    }

    protected void LoadGossipIterationState(BinaryReader r)
    {
        r.ExpectTag("gossip-iteration");
        LastLoss = r.ReadDouble();
        ReleaseHeldPayloads();
        PayloadState.ReadBySender(r, _received, "received parameters");
        _snapshot = PayloadState.ReadOptional<ParameterPayload>(r);
    }

    /// <summary>Lets go of the outgoing snapshot and every received payload (their pooled buffers may go back).</summary>
    private void ReleaseHeldPayloads()
    {
        _snapshot?.Release();
        _snapshot = null;
        ReleaseReceivedPayloads();
    }

    private void ReleaseReceivedPayloads()
    {
        foreach (var p in _received.Values) p.Release();
        _received.Clear();
    }

    private ICheckpointable SourceState() =>
        Source as ICheckpointable ?? throw new NotSupportedException($"its learner {Source.GetType().Name} does not implement ICheckpointable");

    public virtual void Dispose()
    {
        ReleaseHeldPayloads();
        Source.Dispose();
    }
}
