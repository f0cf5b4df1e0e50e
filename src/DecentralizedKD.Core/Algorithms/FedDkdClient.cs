using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// A FedAvg/FedDKD client. Each round it trains <c>localSteps</c> momentum-SGD steps from the
/// global model w_g (momentum restarted every round: a fresh local run, as in FedAvg codes), uploads the result
/// w_k as its teacher, answers each student model w the server sends with ∇D_k(w), and finally takes over the new
/// w_g. Its only neighbour is the server.
/// </summary>
public sealed class FedDkdClient : IAgentAlgorithm, ICheckpointable
{
    private readonly int _self;
    private readonly int _server;
    private readonly IGradientSource _source;
    private readonly IDistillationGradient _distillation;
    private readonly SgdSettings _sgd;
    private readonly LearningRateSchedule _lr;
    private readonly int _localSteps;
    private readonly FedDkdSchedule _schedule;
    private readonly PhaseInbox _inbox = new();
    private GradientPayload? _answer;
    private bool _tolerant;

    public FedDkdClient(int self, int server, IGradientSource source, IDistillationGradient distillation, SgdSettings sgd,
        LearningRateSchedule lr, int localSteps, FedDkdSchedule schedule)
    {
        if (localSteps < 1) throw new InputException($"optimizer.local-steps must be >= 1, got {localSteps}");
        _self = self;
        _server = server;
        _source = source;
        _distillation = distillation;
        _sgd = sgd;
        _lr = lr;
        _localSteps = localSteps;
        _schedule = schedule;
    }

    public ReadOnlySpan<float> Parameters => _source.Parameters;

    /// <summary>Mean cross-entropy of this round's local steps.</summary>
    public double LastLoss { get; private set; }

    /// <summary>D_k(w) at the student model of the latest distillation step (NaN before the first).</summary>
    public double LastDistillationLoss { get; private set; } = double.NaN;

    public int Phases(int round) => _schedule.Phases;

    public void LocalWork(int round)
    {
        var momentum = new MomentumStep(_source.Parameters.Length);
        float eta = (float)_lr.At(round);
        double loss = 0;
        for (int s = 0; s < _localSteps; s++)
        {
            loss += _source.ComputeGradient();
            if (_sgd.WeightDecay != 0) FlatMath.Axpy((float)_sgd.WeightDecay, _source.Parameters, _source.Gradients);
            momentum.Apply(_source.Parameters, _source.Gradients, eta, (float)_sgd.Momentum, _sgd.Nesterov);
        }
        LastLoss = loss / _localSteps;
        _distillation.TeacherChanged();
        _answer = null;
    }

    public Payload? Outgoing(int round, int phase, int neighbour)
    {
        if (neighbour != _server || FedDkdSchedule.ServerSends(phase)) return null;
        if (phase == 0) return new ParameterPayload(round, _self, _source.Parameters.ToArray());
        // No answer when the student model never arrived (asynchronous runs only).
        return _answer is { } a && a.Round == round && a.Phase == phase ? a : null;
    }

    public int ExpectedPayloads(int round, int phase) => FedDkdSchedule.ServerSends(phase) ? 1 : 0;

    public void Receive(Payload payload)
    {
        if (payload is not ParameterPayload || payload.Sender != _server)
            throw new InvalidOperationException($"client {_self}: unexpected payload {payload.Kind} from {payload.Sender}");
        _inbox.Add(payload);
    }

    public void UseSelfForMissingNeighbours() => _tolerant = true;

    public void Combine(int round, int phase)
    {
        if (!FedDkdSchedule.ServerSends(phase)) return;
        var received = _inbox.Take(round, phase);
        if (received.Count == 0)
        {
            // Asynchronous runs: the server's model never came; answer nothing, or keep the own model for the next round.
            if (!_tolerant) throw new InvalidOperationException($"client {_self}: no model from the server in round {round}, phase {phase}");
            return;
        }
        var w = ((ParameterPayload)received[0]).Parameters;
        if (_schedule.IsFinalBroadcast(phase))
        {
            w.CopyTo(_source.Parameters);
            return;
        }
        var gradient = new float[w.Length];
        LastDistillationLoss = _distillation.Compute(w, gradient);
        _answer = new GradientPayload(round, _self, gradient) { Phase = phase + 1 };
    }

    /// <summary>
    /// Checkpoint: the learner (parameters = the latest global model, batch stream), the distillation objective's
    /// batch stream and the latest distillation loss. Not saved, because a round never reads them before setting them:
    /// the momentum buffer (restarted in every LocalWork), the teacher's cached logits (dropped in every LocalWork), the
    /// gradient answer (tied to its round and phase) and the inbox (emptied by each phase's Combine).
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        if (!_inbox.IsEmpty)
            throw new NotSupportedException("FedDkdClient holds unconsumed payloads (checkpoints are taken at synchronous round boundaries only)");
        w.WriteTag("feddkd-client");
        StateOf(_source, "learner").SaveState(w);
        StateOf(_distillation, "distillation objective").SaveState(w);
        w.Write(LastDistillationLoss);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("feddkd-client");
        StateOf(_source, "learner").LoadState(r);
        StateOf(_distillation, "distillation objective").LoadState(r);
        LastDistillationLoss = r.ReadDouble();
    }

    private static ICheckpointable StateOf(object part, string what) =>
        part as ICheckpointable ?? throw new NotSupportedException($"its {what} {part.GetType().Name} does not implement ICheckpointable");

    public void Dispose()
    {
        _distillation.Dispose();
        _source.Dispose();
    }
}
