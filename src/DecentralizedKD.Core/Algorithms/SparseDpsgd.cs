using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// Partial model sharing (decentralizepy's PartialModel with accumulated change, and its SubSampling). Iteration t of
/// agent i:
/// <list type="number">
/// <item>the local step of D-PSGD: m ← βm + g, x½ = x − η·d;</item>
/// <item>choose k coordinates S_i: top-k by |x½ − v|, where v holds each coordinate's value when this agent last sent
/// it (the common initial model before that), or random-k from the message's seeded stream; send x½ on S_i and set
/// v ← x½ there;</item>
/// <item>per coordinate, average with the neighbours that sent it: x[c] ← x½[c] + Σ_{j : c ∈ S_j} w_ij (x½_j[c] − x½[c]).</item>
/// </list>
/// A neighbour that did not send a coordinate counts as the agent itself there (decentralizepy fills the coordinates
/// a neighbour did not send with the receiver's own values). With ratio = 1 every coordinate is sent and this is
/// D-PSGD up to float rounding. In asynchronous runs the latest view received from each neighbour is used, as D-PSGD
/// uses the latest parameters; a neighbour never heard from contributes nothing.
/// </summary>
public sealed class SparseDpsgd : GossipAlgorithm, ICheckpointable, IIterationState
{
    private readonly ISparseCompressor _compressor;
    private readonly MomentumStep _momentum;
    private readonly float[] _lastSent;
    private readonly float[] _scratch;
    private readonly Dictionary<int, CompressedVector> _views = [];
    private CompressedVector? _outgoing;

    public SparseDpsgd(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps, ISparseCompressor compressor)
        : base(source, links, sgd, lr, localSteps)
    {
        _compressor = compressor;
        _momentum = new MomentumStep(source.Parameters.Length);
        _lastSent = source.Parameters.ToArray();
        _scratch = new float[source.Parameters.Length];
    }

    protected override long? MethodStateBytes => _momentum.Bytes + 4L * (_lastSent.Length + _scratch.Length);

    public override void LocalWork(int round)
    {
        LastLoss = LocalMomentumSteps(round, _momentum);
        var x = Source.Parameters;
        for (int c = 0; c < x.Length; c++) _scratch[c] = x[c] - _lastSent[c];
        var at = new MessageAddress(round, Self);
        var coordinates = _compressor.Choose(_scratch, at);
        _outgoing = _compressor.Carry(coordinates, x, at);
        foreach (int c in coordinates) _lastSent[c] = x[c];
    }

    public override Payload? Outgoing(int round, int phase, int neighbour) =>
        _outgoing is { } view && view.Round == round ? view : throw new InvalidOperationException($"agent {Self}: no view for round {round}");

    public override int ExpectedPayloads(int round, int phase) => RowAt(round).Degree;

    public override void Receive(Payload payload)
    {
        if (payload is not CompressedVector view)
            throw new InvalidOperationException($"agent {Self}: unexpected payload kind {payload.Kind} from {payload.Sender}");
        // The freshest view per neighbour: with random latencies a newer one can arrive first.
        if (!_views.TryGetValue(view.Sender, out var held) || held.Round <= view.Round) _views[view.Sender] = view;
    }

    /// <summary>All differences are taken against x½ before any is added, neighbours in row order.</summary>
    protected override void CombinePhase(int round, int phase)
    {
        var x = Source.Parameters;
        _scratch.AsSpan().Clear();
        var row = RowAt(round);
        for (int k = 0; k < row.Degree; k++)
        {
            int j = row.Neighbours[k];
            if (!_views.TryGetValue(j, out var view))
            {
                if (MissingNeighboursUseSelf) continue;
                throw new InvalidOperationException($"agent {Self}: no view from neighbour {j} to combine");
            }
            float w = (float)row.Weights[k];
            var coordinates = _compressor.Coordinates(view);
            for (int n = 0; n < coordinates.Length; n++)
            {
                int c = coordinates[n];
                _scratch[c] += w * (view.Values[n] - x[c]);
            }
        }
        FlatMath.Axpy(1f, _scratch, x);
    }

    /// <summary>
    /// Learner, momentum buffer and the last-sent values. The neighbours' views are not saved: at a synchronous round
    /// boundary each is replaced in the next round before it is used.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("sparse-dpsgd");
        SaveSourceState(w);
        _momentum.SaveState(w);
        w.WriteFloats(_lastSent);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("sparse-dpsgd");
        LoadSourceState(r);
        _momentum.LoadState(r);
        r.ReadFloats(_lastSent, "sparse-dpsgd last-sent values");
    }

    /// <summary>Mid-iteration (asynchronous checkpoints): the latest view of each neighbour, this iteration's view to send, the loss.</summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteTag("sparse-dpsgd-iteration");
        w.Write(LastLoss);
        PayloadState.WriteBySender(w, _views);
        PayloadState.WriteOptional(w, _outgoing);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ExpectTag("sparse-dpsgd-iteration");
        LastLoss = r.ReadDouble();
        PayloadState.ReadBySender(r, _views, "sparse-dpsgd views");
        _outgoing = PayloadState.ReadOptional<CompressedVector>(r);
    }
}
