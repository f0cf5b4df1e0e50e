using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// CHOCO-SGD (Koloskova, Stich and Jaggi, ICML 2019, Algorithm 2) with local momentum. Iteration t of agent i:
/// <list type="number">
/// <item>the local step of D-PSGD: m ← βm + g, x½ = x − η·d;</item>
/// <item>q_i = Q(x½ − x̂_i), where x̂_i is the agent's public copy of itself (zero at the start); x̂_i ← x̂_i + q_i;</item>
/// <item>q_i goes to every neighbour; each agent keeps a copy x̂_j of every neighbour and adds every q_j it receives;</item>
/// <item>x ← x½ + γ Σ_j w_ij (x̂_j − x̂_i).</item>
/// </list>
/// With Q the identity and γ = 1 this is D-PSGD up to float rounding. The copies are kept one per neighbour rather
/// than as the running sum Σ_j w_ij x̂_j: a received q is added the moment it arrives, into its sender's copy alone,
/// so the result never depends on the order in which different neighbours' messages arrive. Over lossy links
/// (asynchronous mode) a q that never arrives leaves the receiver's x̂_j short of that update for good — the sender's
/// later q's are differences to its own x̂_j — which is CHOCO's real behaviour there; the agent counts such gaps in
/// each neighbour's sequence of rounds. An unbiased compressor (QSGD) is applied as Q/(1 + ω), the contractive form
/// the method needs (<see cref="ICompressor.ContractiveScale"/>). Q works on the whole flat vector or, as the official
/// ChocoSGD code does, on each parameter tensor on its own (<see cref="IMessageCompressor"/>, <c>scope</c>).
/// </summary>
public sealed class Choco : GossipAlgorithm, ICheckpointable, IIterationState
{
    private readonly IMessageCompressor _compressor;
    private readonly float _gamma;
    private readonly MomentumStep _momentum;
    private readonly float[] _publicSelf;
    private readonly float[][] _publicNeighbours;
    private readonly Dictionary<int, int> _slotOf = [];
    private readonly int[] _applied;
    private readonly int[] _latestApplied;
    private readonly float[] _scratch;
    private readonly ChocoMissedUpdates? _missed;
    private Payload? _outgoing;
    private readonly MixingRow _row;

    /// <summary>CHOCO compressing the whole flat vector with <paramref name="compressor"/> (<c>scope = model</c>).</summary>
    public Choco(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps,
        ICompressor compressor, double gamma, ChocoMissedUpdates? missed = null)
        : this(source, links, sgd, lr, localSteps, new WholeVectorCompressor(compressor, source.Parameters.Length), gamma, missed) { }

    /// <param name="compressor">how a message is compressed: the whole vector or each parameter tensor on its own</param>
    /// <param name="missed">where the agent publishes its count of missed updates for the run's report (null: nowhere)</param>
    public Choco(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps,
        IMessageCompressor compressor, double gamma, ChocoMissedUpdates? missed = null)
        : base(source, links, sgd, lr, localSteps)
    {
        // x̂_j follows every q_j of a fixed neighbour: a time-varying schedule is refused by the descriptor.
        if (!links.IsStatic) throw new InvalidOperationException("CHOCO needs a static topology.schedule");
        var row = links.RowAt(0);
        _row = row;
        int d = source.Parameters.Length;
        _compressor = compressor;
        _gamma = (float)gamma;
        _momentum = new MomentumStep(d);
        _publicSelf = new float[d];
        _publicNeighbours = row.Neighbours.Select(_ => new float[d]).ToArray();
        for (int k = 0; k < row.Degree; k++) _slotOf[row.Neighbours[k]] = k;
        _applied = new int[row.Degree];
        _latestApplied = Enumerable.Repeat(-1, row.Degree).ToArray();
        _scratch = new float[d];
        _missed = missed;
    }

    /// <summary>x̂_i, the agent's public copy of itself.</summary>
    public ReadOnlySpan<float> PublicCopy => _publicSelf;

    /// <summary>x̂_j as this agent has built it from neighbour <paramref name="neighbour"/>'s q's.</summary>
    public ReadOnlySpan<float> CopyOf(int neighbour) => _publicNeighbours[_slotOf[neighbour]];

    /// <summary>
    /// Updates missed so far: over the neighbours, rounds before the latest one applied whose q never arrived. A q that
    /// arrives late is applied then and is not missed; the rounds after the latest applied one are not counted yet.
    /// </summary>
    public long MissedUpdates
    {
        get
        {
            long missed = 0;
            for (int k = 0; k < _applied.Length; k++) missed += _latestApplied[k] + 1 - _applied[k];
            return missed;
        }
    }

    public override void LocalWork(int round)
    {
        LastLoss = LocalMomentumSteps(round, _momentum);
        var x = Source.Parameters;
        for (int k = 0; k < x.Length; k++) _scratch[k] = x[k] - _publicSelf[k];
        _outgoing = _compressor.Compress(_scratch, new MessageAddress(round, Self));
        _compressor.AddContracted(_outgoing, _publicSelf);
    }

    protected override long? MethodStateBytes => _momentum.Bytes + 4L * (_publicSelf.Length + _scratch.Length + _publicNeighbours.Sum(c => (long)c.Length));

    public override Payload? Outgoing(int round, int phase, int neighbour) =>
        _outgoing is { } q && q.Round == round ? q : throw new InvalidOperationException($"agent {Self}: no q for round {round}");

    public override int ExpectedPayloads(int round, int phase) => _row.Degree;

    public override void Receive(Payload payload)
    {
        if (payload is not (CompressedVector or SegmentedVector) || !_slotOf.TryGetValue(payload.Sender, out int k))
            throw new InvalidOperationException($"agent {Self}: unexpected payload {payload.Kind} from {payload.Sender}");
        _compressor.AddContracted(payload, _publicNeighbours[k]);
        _applied[k]++;
        _latestApplied[k] = Math.Max(_latestApplied[k], payload.Round);
    }

    /// <summary>x ← x½ + γ(Σ_j w_ij x̂_j − (Σ_j w_ij) x̂_i), the neighbours in row order.</summary>
    protected override void CombinePhase(int round, int phase)
    {
        _scratch.AsSpan().Clear();
        double offSelf = 0;
        for (int k = 0; k < _row.Degree; k++)
        {
            FlatMath.Axpy((float)_row.Weights[k], _publicNeighbours[k], _scratch);
            offSelf += _row.Weights[k];
        }
        FlatMath.Axpy(-(float)offSelf, _publicSelf, _scratch);
        FlatMath.Axpy(_gamma, _scratch, Source.Parameters);
        _missed?.Record(Self, MissedUpdates);
    }

    /// <summary>Learner, momentum buffer, the public copies x̂_i and x̂_j, and the per-neighbour counts of applied q's.</summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("choco");
        SaveSourceState(w);
        _momentum.SaveState(w);
        w.WriteFloats(_publicSelf);
        foreach (var copy in _publicNeighbours) w.WriteFloats(copy);
        w.WriteInts(_applied);
        w.WriteInts(_latestApplied);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("choco");
        LoadSourceState(r);
        _momentum.LoadState(r);
        r.ReadFloats(_publicSelf, "CHOCO public copy x̂_i");
        foreach (var copy in _publicNeighbours) r.ReadFloats(copy, "CHOCO neighbour copy x̂_j");
        r.ReadInts(_applied, "CHOCO applied counts");
        r.ReadInts(_latestApplied, "CHOCO latest applied rounds");
    }

    /// <summary>
    /// Mid-iteration (asynchronous checkpoints): this iteration's q, still to be sent, and the loss. Received q's are
    /// already in the copies, which <see cref="SaveState"/> holds; the compressor's draws belong to each message and
    /// have no stream position to save.
    /// </summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteTag("choco-iteration");
        w.Write(LastLoss);
        PayloadState.WriteOptional(w, _outgoing);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ExpectTag("choco-iteration");
        LastLoss = r.ReadDouble();
        _outgoing = PayloadState.ReadOptional<Payload>(r);
    }
}
