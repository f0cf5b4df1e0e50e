using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// One agent on its own virtual clock (asynchronous mode). Each iteration: local work takes the agent's
/// simulated compute time; at its end the agent sends its payloads (each delayed, or dropped, by the link model) and
/// combines with the latest payload from each neighbour. With <c>max-staleness = s ≥ 0</c> it first waits until every
/// neighbour's latest payload is at most s iterations old; if that does not happen within <c>wait-timeout</c>
/// (virtual), it combines with what it has — neighbours never heard from count as itself — so a permanently
/// offline neighbour cannot deadlock it. Offline agents neither compute, send nor receive (arrivals are lost).
/// Events are handled strictly in (time, sender, sequence) order, which makes the run deterministic.
/// </summary>
public sealed partial class AsyncAgent : IDisposable
{
    private enum Phase { Computing, Waiting, Paused, Done }

    /// <summary>What an agent that went offline does when it comes back.</summary>
    private enum ResumeAction { BeginStep, SendThenCombine, Combine }

    private readonly int _id;
    private readonly IAgentRuntime _runtime;
    private readonly IReadOnlyList<int> _neighbours;
    private readonly LinkModel _links;
    private readonly double _iterationSeconds;
    private readonly ChurnSchedule _churn;
    private readonly AsyncSettings _settings;
    private readonly IAsyncObserver _observer;
    private readonly Dictionary<(int Exchange, int Sender), int> _latestRound = [];
    private long _sequence;
    private Phase _phase;
    private ResumeAction _resume;
    private int _iteration;
    private int _exchange;
    private double _lossSinceEval;
    private int _iterationsSinceEval;
    private long _bytesSent;
    private double _stepEnd = double.PositiveInfinity;     // when the computation under way ends (its StepFinished)
    private double _nextChurn = double.PositiveInfinity;   // the next churn transition scheduled (its ChurnChange)

    public AsyncAgent(int id, IAgentRuntime runtime, IReadOnlyList<int> neighbours, LinkModel links, double iterationSeconds,
        ChurnSchedule churn, AsyncSettings settings, IAsyncObserver observer)
    {
        _id = id;
        _runtime = runtime;
        _neighbours = neighbours;
        _links = links;
        _iterationSeconds = iterationSeconds;
        _churn = churn;
        _settings = settings;
        _observer = observer;
        runtime.Algorithm.UseSelfForMissingNeighbours();
    }

    public int Id => _id;
    public EventQueue<AgentEvent> Queue { get; } = new();
    public bool Done => _phase == Phase.Done;
    public int CompletedIterations => _phase == Phase.Done ? _settings.Budget : _iteration;
    public long BytesSent => _bytesSent;
    public Dictionary<string, long> BytesByKind { get; } = [];

    /// <summary>Schedules the first events; an agent restored from a checkpoint (<see cref="LoadState"/>) already has them.</summary>
    public void Start(List<Outbound> outbox)
    {
        if (Restored) return;
        ScheduleChurn(0);
        if (_churn.IsOnline(_id, 0)) BeginStep(0, 0);
        else Pause(ResumeAction.BeginStep);
    }

    /// <summary>Time of this agent's next pending event (∞ when idle).</summary>
    public double NextEventTime => Queue.TryPeekTime(out double t) ? t : double.PositiveInfinity;

    /// <summary>
    /// The earliest virtual time at which this agent can send anything, whatever arrives meanwhile: it sends only when
    /// a computation ends (and, in a multi-exchange iteration, after combining an exchange). Computing: when the
    /// computation ends. Waiting on neighbours: a step after it can next be woken, or at once if this iteration has
    /// another exchange to send. Offline: when it comes back (plus a step if it must compute first). Done: never.
    /// </summary>
    public SendBound NextSendBound => _phase switch
    {
        Phase.Done => SendBound.Never,
        Phase.Computing => SendBound.At(_stepEnd),
        Phase.Waiting => SendBound.AfterWindowStart(MoreExchanges ? 0 : _iterationSeconds),
        _ => _resume switch
        {
            ResumeAction.SendThenCombine => SendBound.At(_nextChurn),
            ResumeAction.Combine when MoreExchanges => SendBound.At(_nextChurn),
            _ => SendBound.At(_nextChurn + _iterationSeconds),
        },
    };

    private bool MoreExchanges => _exchange + 1 < _runtime.Algorithm.Phases(_iteration);

    /// <summary>
    /// Handles every pending event strictly before <paramref name="end"/> (one conservative time window), stopping
    /// early once <paramref name="stopAfterIterations"/> iterations are complete (the agent then waits for a checkpoint).
    /// </summary>
    public void RunUntil(double end, List<Outbound> outbox, int stopAfterIterations = int.MaxValue)
    {
        while (CompletedIterations < stopAfterIterations && Queue.TryDequeueBefore(end, out var e)) Handle(e, outbox);
    }

    public void Handle(SimEvent<AgentEvent> e, List<Outbound> outbox)
    {
        double t = e.Time;
        switch (e.Item)
        {
            case AgentEvent.StepFinished f when _phase == Phase.Computing && f.Iteration == _iteration:
                if (!_churn.IsOnline(_id, t)) { Pause(ResumeAction.SendThenCombine); break; }
                Send(t, outbox);
                _phase = Phase.Waiting;
                TryCombine(t, timedOut: false, outbox);
                break;
            case AgentEvent.Arrival a:
                // The message's hold on the payload ends here, whatever happens to it (the algorithm takes its own).
                try { Arrive(a.Payload, t, outbox); }
                finally { a.Payload.Release(); }
                break;
            case AgentEvent.WaitTimeout w when _phase == Phase.Waiting && w.Iteration == _iteration && w.Exchange == _exchange:
                TryCombine(t, timedOut: true, outbox);
                break;
            case AgentEvent.ChurnChange when _phase != Phase.Done: // a finished agent's schedule no longer matters (and never ends)
                bool online = _churn.IsOnline(_id, t);
                _observer.OnChurn(_id, t, online);
                ScheduleChurn(t);
                if (online && _phase == Phase.Paused) Resume(t, outbox);
                else if (!online && _phase == Phase.Waiting) Pause(ResumeAction.Combine);
                break;
        }
    }

    private void Arrive(Payload payload, double t, List<Outbound> outbox)
    {
        if (_phase == Phase.Done) return;
        if (!_churn.IsOnline(_id, t)) { _observer.OnLost(payload.Sender, _id, payload.Round, t); return; }
        _runtime.Algorithm.Receive(payload);
        var key = (payload.Phase, payload.Sender);
        if (!_latestRound.TryGetValue(key, out int held) || held < payload.Round) _latestRound[key] = payload.Round;
        if (_phase == Phase.Waiting) TryCombine(t, timedOut: false, outbox);
    }

    private void BeginStep(int iteration, double t)
    {
        _iteration = iteration;
        _exchange = 0;
        _phase = Phase.Computing;
        _runtime.Algorithm.LocalWork(iteration);
        _stepEnd = t + _iterationSeconds;
        Own(_stepEnd, new AgentEvent.StepFinished(iteration));
    }

    private void Send(double t, List<Outbound> outbox)
    {
        // A time-varying schedule: the recipients of this agent's own iteration.
        foreach (int j in _runtime.Recipients(_iteration, _exchange) ?? _neighbours)
        {
            var payload = _runtime.Algorithm.Outgoing(_iteration, _exchange, j);
            if (payload is null) continue;
            _bytesSent += payload.Bytes;
            BytesByKind[payload.Kind] = BytesByKind.GetValueOrDefault(payload.Kind) + payload.Bytes;
            double? arrival = _links.Deliver(_id, j, t, payload.Bytes);
            if (arrival is double at)
            {
                payload.Retain();   // the message holds the payload until the receiver has handled it
                outbox.Add(new Outbound(_id, j, at, payload));
                _observer.OnDelivered(_id, j, _iteration, t, at, payload.Bytes);
            }
            else _observer.OnDropped(_id, j, _iteration, t);
        }
    }

    /// <summary>
    /// Combines the current exchange once its payloads are fresh enough (or the wait timed out). Later exchanges of
    /// the same iteration (e.g. CCL's feature sums) are sent at once — their compute is part of the iteration's
    /// simulated compute time — and waited for in the same way.
    /// </summary>
    private void TryCombine(double t, bool timedOut, List<Outbound> outbox)
    {
        var algorithm = _runtime.Algorithm;
        while (true)
        {
            bool communicates = algorithm.ExpectedPayloads(_iteration, _exchange) > 0;
            if (communicates && _settings.MaxStaleness >= 0 && !timedOut)
            {
                int oldest = _iteration - _settings.MaxStaleness;
                if (Senders(_exchange).Any(j => !_latestRound.TryGetValue((_exchange, j), out int r) || r < oldest))
                {
                    Own(t + _settings.WaitTimeoutS, new AgentEvent.WaitTimeout(_iteration, _exchange));
                    return;
                }
            }
            algorithm.Combine(_iteration, _exchange);
            if (_exchange == 0)
            {
                // Staleness is reported for the first exchange (parameters for every gossip method).
                var staleness = communicates
                    ? Senders(0).Select(j => _latestRound.TryGetValue((0, j), out int r) ? _iteration - r : AsyncStats.NeverReceived).ToArray()
                    : [];
                _observer.OnCombine(_id, _iteration, t, staleness, timedOut);
            }
            if (++_exchange < algorithm.Phases(_iteration))
            {
                Send(t, outbox);
                timedOut = false;
                continue;
            }
            FinishIteration(t);
            return;
        }
    }

    /// <summary>Whose payloads exchange <paramref name="exchange"/> of the current iteration uses: its own iteration's row under a time-varying schedule.</summary>
    private IReadOnlyList<int> Senders(int exchange) => _runtime.Senders(_iteration, exchange) ?? _neighbours;

    private void FinishIteration(double t)
    {
        var algorithm = _runtime.Algorithm;
        _lossSinceEval += algorithm.LastLoss;
        _iterationsSinceEval++;
        int completed = _iteration + 1;
        if (_settings.EvaluatesAfter(completed))
        {
            _observer.OnEvaluation(_id, completed, t, _runtime.SampledAccuracy(completed), algorithm.Parameters.ToArray(),
                _lossSinceEval, _iterationsSinceEval, _bytesSent);
            _lossSinceEval = 0;
            _iterationsSinceEval = 0;
        }
        if (completed >= _settings.Budget) { _phase = Phase.Done; _iteration = completed; return; }
        BeginStep(completed, t);
    }

    private void Pause(ResumeAction resume)
    {
        _phase = Phase.Paused;
        _resume = resume;
    }

    private void Resume(double t, List<Outbound> outbox)
    {
        switch (_resume)
        {
            case ResumeAction.BeginStep:
                BeginStep(_iteration, t);
                break;
            case ResumeAction.SendThenCombine:
                Send(t, outbox);
                _phase = Phase.Waiting;
                TryCombine(t, timedOut: false, outbox);
                break;
            default:
                _phase = Phase.Waiting;
                TryCombine(t, timedOut: false, outbox);
                break;
        }
    }

    private void ScheduleChurn(double t)
    {
        double next = _churn.NextTransition(_id, t);
        _nextChurn = next;
        if (!double.IsPositiveInfinity(next)) Own(next, new AgentEvent.ChurnChange());
    }

    /// <summary>Releases the payloads of messages that arrived too late to be handled, then the runtime.</summary>
    public void Dispose()
    {
        foreach (var e in Queue.InOrder())
            if (e.Item is AgentEvent.Arrival a) a.Payload.Release();
        _runtime.Dispose();
    }

    private void Own(double time, AgentEvent e) => Queue.Enqueue(new SimEvent<AgentEvent>(time, _id, _sequence++, e));
}
