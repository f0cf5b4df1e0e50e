using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// The FedAvg/FedDKD server: holds no data and trains nothing. Phase 0: w ← Σ_k p_k w_k with
/// p_k = n_k/n (FedAvg). Each distillation step: send w, then w ← w − η_dkd Σ_k p_k ∇D_k(w). Last phase: broadcast w.
/// Sums run in double in client order. In asynchronous runs a client that did not answer in time is left out and
/// the weights are renormalised over those that did (n_k / Σ_received n_j); if none did, w is kept.
/// </summary>
public sealed class FedDkdServer : IAgentAlgorithm, ICheckpointable
{
    private readonly int _self;
    private readonly float[] _w;
    private readonly int[] _samples;
    private readonly double _lr;
    private readonly FedDkdSchedule _schedule;
    private readonly PhaseInbox _inbox = new();
    private ParameterPayload? _snapshot;
    private bool _tolerant;

    /// <param name="self">the server's agent id (= number of clients)</param>
    /// <param name="initial">the common initial model</param>
    /// <param name="clientSamples">n_k of clients 0..N−1 (the FedAvg weights)</param>
    /// <param name="lr">η_dkd</param>
    public FedDkdServer(int self, float[] initial, IReadOnlyList<int> clientSamples, double lr, FedDkdSchedule schedule)
    {
        if (clientSamples.Any(n => n <= 0)) throw new ArgumentException("every client needs at least one sample", nameof(clientSamples));
        _self = self;
        _w = (float[])initial.Clone();
        _samples = clientSamples.ToArray();
        _lr = lr;
        _schedule = schedule;
    }

    public ReadOnlySpan<float> Parameters => _w;

    /// <summary>The server has no training loss; engines leave it out of train_loss (NaN shows if one does not).</summary>
    public double LastLoss => double.NaN;

    public int Phases(int round) => _schedule.Phases;

    public void LocalWork(int round) { }

    public Payload? Outgoing(int round, int phase, int neighbour)
    {
        if (!FedDkdSchedule.ServerSends(phase)) return null;
        if (_snapshot is null || _snapshot.Round != round || _snapshot.Phase != phase)
            _snapshot = new ParameterPayload(round, _self, (float[])_w.Clone()) { Phase = phase };
        return _snapshot;
    }

    public int ExpectedPayloads(int round, int phase) => FedDkdSchedule.ServerSends(phase) ? 0 : _samples.Length;

    public void Receive(Payload payload)
    {
        bool expected = payload.Phase == 0 ? payload is ParameterPayload : payload is GradientPayload && FedDkdSchedule.IsGradientUp(payload.Phase);
        if (!expected || (uint)payload.Sender >= (uint)_samples.Length)
            throw new InvalidOperationException($"server: unexpected payload {payload.Kind} (phase {payload.Phase}) from {payload.Sender}");
        _inbox.Add(payload);
    }

    public void UseSelfForMissingNeighbours() => _tolerant = true;

    public void Combine(int round, int phase)
    {
        if (FedDkdSchedule.ServerSends(phase)) return;
        var received = _inbox.Take(round, phase);
        if (received.Count < _samples.Length && !_tolerant)
            throw new InvalidOperationException($"server: {received.Count} of {_samples.Length} clients answered in round {round}, phase {phase}");
        if (received.Count == 0) return;
        double total = received.Sum(p => (double)_samples[p.Sender]);
        var sum = new double[_w.Length];
        foreach (var p in received)
        {
            double weight = _samples[p.Sender] / total;
            var v = p is ParameterPayload m ? m.Parameters : ((GradientPayload)p).Gradient;
            for (int i = 0; i < sum.Length; i++) sum[i] += weight * v[i];
        }
        if (phase == 0) for (int i = 0; i < _w.Length; i++) _w[i] = (float)sum[i];
        else for (int i = 0; i < _w.Length; i++) _w[i] = (float)(_w[i] - _lr * sum[i]);
    }

    /// <summary>
    /// Checkpoint: the global model w, its only state across rounds (the distillation steps are plain gradient steps,
    /// with no optimizer buffer). The outgoing snapshot is rebuilt for each (round, phase); the inbox is empty at a
    /// synchronous round boundary, and the schedule's phases all lie inside one round.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        if (!_inbox.IsEmpty)
            throw new NotSupportedException("FedDkdServer holds unconsumed payloads (checkpoints are taken at synchronous round boundaries only)");
        w.WriteTag("feddkd-server");
        w.WriteFloats(_w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("feddkd-server");
        r.ReadFloats(_w, "global model");
        _snapshot = null;
    }

    public void Dispose() { }
}
