using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// MHD, multi-headed distillation (Zhmoginov et al.; every detail UNCONFIRMED). No parameters are
/// exchanged. Each round all agents take the same public batch P_t; LocalWork sends nothing yet but computes this
/// agent's logits of heads 0..K−1 on P_t (head K's logits would feed a head K+1 that does not exist, so they are never
/// sent). Combine takes momentum-SGD steps on CE(main head, private batch) + Σ_k ν_k·KL(target_k ‖ softmax(h^k(P)/T))·T²,
/// where target_k comes from the neighbours' head k−1.
/// </summary>
/// <remarks>
/// Asynchronous runs: for each neighbour the freshest payload not newer than the current round is used, and only the
/// neighbours whose payload is from the freshest such round r*; the student heads are then evaluated on P_{r*} (logits of
/// different rounds describe different samples and cannot be combined per sample). Neighbours without a payload are
/// skipped; with none, the distillation terms are 0. Each payload is used once.
/// </remarks>
public sealed class Mhd : IAgentAlgorithm, ICheckpointable, IIterationState
{
    private readonly IMhdLearner _learner;
    private readonly AgentLinks _links;
    private readonly MhdConfig _config;
    private readonly MhdTargetRule _rule;
    private readonly SgdSettings _sgd;
    private readonly LearningRateSchedule _lr;
    private readonly int _localSteps;
    private readonly ulong _seed;
    private readonly int _poolSize;
    private readonly MomentumStep _momentum;
    private readonly SortedDictionary<int, List<LogitsPayload>> _received = [];
    private LogitsPayload? _outgoing;
    private int[] _publicIds = [];
    private bool _missingAllowed;

    public Mhd(IMhdLearner learner, AgentLinks links, MhdConfig config, SgdSettings sgd, LearningRateSchedule lr,
        ulong experimentSeed, int poolSize, int localSteps = 1)
    {
        if (learner.Heads < 2)
            throw new InputException($"model.heads = {learner.Heads}: mhd needs >= 2 (the main head plus at least one auxiliary head)");
        if (localSteps < 1) throw new InputException($"optimizer.local-steps must be >= 1, got {localSteps}");
        if (config.HeadWeights.Length == 0)
            throw new InputException("experiment.algorithm.mhd.head-weights: expected a non-empty list (ν_k per auxiliary head, last value repeats)");
        if (config.PublicBatchSize > poolSize)
            throw new InputException($"experiment.algorithm.mhd.public-batch-size = {config.PublicBatchSize}: larger than the public pool ({poolSize} samples; raise dataset.public-fraction)");
        _learner = learner;
        _links = links;
        _config = config;
        _rule = config.Target;
        _sgd = sgd;
        _lr = lr;
        _localSteps = localSteps;
        _seed = experimentSeed;
        _poolSize = poolSize;
        _momentum = new MomentumStep(learner.Parameters.Length);
    }

    /// <summary>K, the number of auxiliary heads.</summary>
    public int AuxiliaryHeads => _learner.Heads - 1;

    /// <summary>ν_k for auxiliary head k (1-based); the configured list's last value repeats.</summary>
    public double HeadWeight(int k) => _config.HeadWeights[Math.Min(k, _config.HeadWeights.Length) - 1];

    public ReadOnlySpan<float> Parameters => _learner.Parameters;

    public double LastLoss { get; private set; }

    public void UseSelfForMissingNeighbours() => _missingAllowed = true;

    public int[] PublicIds(int round) => PublicBatches.Ids(_seed, round, _poolSize, _config.PublicBatchSize);

    public void LocalWork(int round)
    {
        _publicIds = PublicIds(round);
        int k = AuxiliaryHeads;
        _outgoing = new LogitsPayload(round, _links.Self, k, _publicIds.Length, _learner.Classes, _learner.HeadLogits(_publicIds, k));
    }

    public Payload? Outgoing(int round, int phase, int neighbour) =>
        _outgoing is { } p && p.Round == round ? p : throw new InvalidOperationException($"agent {_links.Self}: no logits computed for round {round}");

    public int ExpectedPayloads(int round, int phase) => _links.RowAt(round).Degree;

    public void Receive(Payload payload)
    {
        if (payload is not LogitsPayload p)
            throw new InvalidOperationException($"agent {_links.Self}: unexpected payload kind {payload.Kind} from {payload.Sender}");
        if (p.Heads != AuxiliaryHeads || p.Classes != _learner.Classes || p.Samples != _config.PublicBatchSize)
            throw new InvalidOperationException($"agent {_links.Self}: logits from {p.Sender} have shape {p.Heads}×{p.Samples}×{p.Classes}, expected {AuxiliaryHeads}×{_config.PublicBatchSize}×{_learner.Classes}");
        if (!_received.TryGetValue(p.Sender, out var list)) _received[p.Sender] = list = [];
        list.RemoveAll(q => q.Round == p.Round);
        list.Add(p);
    }

    public void Combine(int round, int phase)
    {
        var (peerRound, peers) = FreshestPeers(round);
        var targets = new List<HeadTarget>();
        if (peers.Count > 0)
            for (int k = 1; k <= AuxiliaryHeads; k++)
                if (HeadWeight(k) != 0)
                    targets.Add(new HeadTarget(k, MhdTargets.Build(peers, k - 1, _config.Temperature, _rule), HeadWeight(k)));
        var ids = peers.Count == 0 || peerRound == round ? _publicIds : PublicIds(peerRound);

        double loss = 0;
        float eta = (float)_lr.At(round);
        for (int s = 0; s < _localSteps; s++)
        {
            loss += _learner.ComputeGradient(ids, targets, _config.Temperature);
            // Weight decay folded into the gradient before momentum, as in the gossip methods.
            if (_sgd.WeightDecay != 0) FlatMath.Axpy((float)_sgd.WeightDecay, _learner.Parameters, _learner.Gradients);
            _momentum.Apply(_learner.Parameters, _learner.Gradients, eta, (float)_sgd.Momentum, _sgd.Nesterov);
        }
        LastLoss = loss / _localSteps;
    }

    /// <summary>
    /// The round r* of the freshest payload not newer than <paramref name="round"/> and the neighbours (ascending id)
    /// whose freshest such payload is from r*. Payloads up to <paramref name="round"/> are consumed; later ones wait.
    /// </summary>
    private (int Round, List<LogitsPayload> Peers) FreshestPeers(int round)
    {
        var freshest = new List<LogitsPayload>();
        foreach (int j in _links.RowAt(round).Neighbours)
        {
            LogitsPayload? pick = null;
            if (_received.TryGetValue(j, out var list))
            {
                foreach (var p in list)
                    if (p.Round <= round && (pick is null || p.Round > pick.Round)) pick = p;
                list.RemoveAll(p => p.Round <= round);
            }
            if (pick is not null) freshest.Add(pick);
            else if (!_missingAllowed)
                throw new InvalidOperationException($"agent {_links.Self}: no logits from neighbour {j} for round {round}");
        }
        if (freshest.Count == 0) return (round, freshest);
        int newest = freshest.Max(p => p.Round);
        freshest.RemoveAll(p => p.Round != newest);
        return (newest, freshest);
    }

    /// <summary>
    /// Checkpoint: the learner (parameters, batch stream) and the momentum buffer. Public batches derive from (seed,
    /// round) and at a synchronous round boundary every received payload has been consumed, so nothing else is saved
    /// (asynchronous runs, where payloads wait, save them with the iteration state).
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        if (!_missingAllowed && _received.Values.Any(list => list.Count > 0))
            throw new NotSupportedException("Mhd holds unconsumed payloads (checkpoints are taken at synchronous round boundaries only)");
        w.WriteTag("mhd");
        LearnerState().SaveState(w);
        _momentum.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("mhd");
        LearnerState().LoadState(r);
        _momentum.LoadState(r);
    }

    /// <summary>Asynchronous checkpoints: payloads not yet consumed, the logits computed by LocalWork and not yet sent, the loss.</summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteTag("mhd-iteration");
        w.Write(LastLoss);
        w.Write(_received.Count);
        foreach (var (sender, list) in _received)
        {
            w.Write(sender);
            w.Write(list.Count);
            foreach (var p in list) PayloadState.Write(w, p);
        }
        PayloadState.WriteOptional(w, _outgoing);
        w.WriteInts(_publicIds);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ExpectTag("mhd-iteration");
        LastLoss = r.ReadDouble();
        _received.Clear();
        for (int n = r.ReadCount(8, "received logits"); n > 0; n--)
        {
            int sender = r.ReadInt32();
            var list = _received[sender] = [];
            for (int k = r.ReadCount(12, "received logits"); k > 0; k--)
                list.Add(PayloadState.Read(r) as LogitsPayload ?? throw new InvalidDataException("received logits: expected a LogitsPayload"));
        }
        _outgoing = PayloadState.ReadOptional<LogitsPayload>(r);
        _publicIds = r.ReadIntArray("public batch ids");
    }

    private ICheckpointable LearnerState() =>
        _learner as ICheckpointable ?? throw new NotSupportedException($"its learner {_learner.GetType().Name} does not implement ICheckpointable");

    public void Dispose() => _learner.Dispose();
}
