using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

/// <summary>
/// Drives the asynchronous simulation with conservative time windows. A <see cref="WindowPlanner"/> picks each window:
/// the agents with an event before their horizon, which nothing their neighbours can still send would precede
/// (neighbours send only when a computation ends — their reported <see cref="SendBound"/> — and links take at least
/// the shortest latency). Only those agents are told to run it, each to its own horizon, with the messages routed to
/// them since they last ran; the others are not messaged at all. After the active agents report, the coordinator routes
/// their messages, fixing each message's (time, sender, sequence) key, and replays the observations that are final
/// into the sink in the canonical order (<see cref="ObservationBuffer"/>: time, agent, emission), which does not depend
/// on the windows. Messages per window are proportional to its active agents, not to N.
/// </summary>
public sealed partial class AsyncCoordinatorActor : ReceiveActor
{
    public delegate IActorRef SpawnAsyncAgent(IUntypedActorContext context, int agentId);

    private readonly int _agents;
    private readonly SpawnAsyncAgent _spawn;
    private readonly IAsyncObserver _sink;
    private readonly TaskCompletionSource<AsyncWindowResult> _done;
    private readonly IActorRef[] _refs;
    private readonly Dictionary<IActorRef, int> _ids = [];
    private readonly WindowPlanner _planner;
    private readonly ObservationBuffer _observations;
    private readonly List<RoutedArrival>?[] _inbox;   // routed to an agent, not yet handed to it
    private readonly List<(int Agent, double End)> _active = [];
    private readonly List<WindowDone> _reports = [];
    // Agents told to run the current window (or to start) that have not reported it: only their reports count.
    private readonly bool[] _running;
    private readonly long[] _sentCount;
    private readonly long[] _bytes;
    private readonly IReadOnlyDictionary<string, long>[] _bytesByKind;
    private int _expected;
    private bool _finished;

    private readonly Action? _onFinished;

    public AsyncCoordinatorActor(int agents, double lookahead, IReadOnlyList<IReadOnlyList<int>> neighbours, SpawnAsyncAgent spawn, IAsyncObserver sink,
        TaskCompletionSource<AsyncWindowResult> done, Action? onFinished, AsyncCheckpointing? checkpoints, AsyncCoordinatorState? resumeFrom)
    {
        _checkpoints = checkpoints;
        _onFinished = onFinished;
        _agents = agents;
        _planner = new WindowPlanner(agents, lookahead, neighbours);
        _observations = new ObservationBuffer(agents);
        _spawn = spawn;
        _sink = sink;
        _done = done;
        _refs = new IActorRef[agents];
        _inbox = new List<RoutedArrival>?[agents];
        _running = new bool[agents];
        _sentCount = new long[agents];
        _bytes = new long[agents];
        _bytesByKind = Enumerable.Range(0, agents).Select(_ => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>()).ToArray();
        if (resumeFrom is not null) Restore(resumeFrom);
        Receive<WindowDone>(OnWindowDone);
        Receive<AgentStateSaved>(OnStateSaved);
        Receive<AgentFailed>(m => Complete($"agent {m.AgentId} failed: {m.Error}"));
        Receive<Terminated>(t => Complete($"agent {(_ids.TryGetValue(t.ActorRef, out int id) ? id : -1)} stopped unexpectedly"));
    }

    /// <param name="neighbours">For each agent, the agents that send to it.</param>
    /// <param name="onFinished">Runs on the coordinator's (compute) thread after the last window, e.g. to flush metrics rows.</param>
    /// <param name="checkpoints">When to checkpoint and where (null = never).</param>
    /// <param name="resumeFrom">The checkpoint this run continues (its agents load their own files when they are created).</param>
    public static Props Props(int agents, double lookahead, IReadOnlyList<IReadOnlyList<int>> neighbours, SpawnAsyncAgent spawn, IAsyncObserver sink,
        TaskCompletionSource<AsyncWindowResult> done, Action? onFinished = null, string? dispatcher = null, AsyncCheckpointing? checkpoints = null,
        AsyncCoordinatorState? resumeFrom = null)
    {
        var props = Akka.Actor.Props.Create(() => new AsyncCoordinatorActor(agents, lookahead, neighbours, spawn, sink, done, onFinished, checkpoints, resumeFrom));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        for (int i = 0; i < _agents; i++)
        {
            _refs[i] = _spawn(Context, i);
            _ids[_refs[i]] = i;
            Context.Watch(_refs[i]);
        }
        // Every agent starts (or, resuming, reports its restored state) once; afterwards only active agents hear from us.
        _expected = _agents;
        Array.Fill(_running, true);
        foreach (var r in _refs) r.Tell(new StartAsync());
    }

    private void OnWindowDone(WindowDone m)
    {
        if (_finished) return;
        // A duplicate report, or one from an agent outside the window, must not stand in for a missing one.
        if (m.AgentId < 0 || m.AgentId >= _agents || !_running[m.AgentId])
        {
            Complete($"protocol error: agent {m.AgentId} reported a window it was not running");
            return;
        }
        _running[m.AgentId] = false;
        _reports.Add(m);
        if (_reports.Count < _expected) return;
        // After a resume the first reports describe the restored agents: no window ran, no checkpoint is due.
        bool restored = _restoredStart;
        _restoredStart = false;
        TorchThreads.EnsureSingleThreaded(); // the sink may evaluate the averaged model

        _reports.Sort((a, b) => a.AgentId.CompareTo(b.AgentId));
        foreach (var r in _reports)
        {
            _observations.Add(r.AgentId, r.Observations);
            _planner.Update(r.AgentId, r.NextEventTime, r.NextSend, r.CompletedIterations);
            _bytes[r.AgentId] = r.BytesSent;
            _bytesByKind[r.AgentId] = r.BytesByKind;
        }
        // Sequence numbers count each sender's messages in send order, whichever window carried them.
        foreach (var r in _reports)
        foreach (var o in r.Sent)
        {
            (_inbox[o.To] ??= []).Add(new RoutedArrival(o.ArrivalTime, o.From, _sentCount[o.From]++, o.Payload));
            _planner.ArrivalDue(o.To, o.ArrivalTime);
        }
        _reports.Clear();
        _observations.ReplayBefore(_planner.NextEventTime, _sink);
        bool over = double.IsPositiveInfinity(_planner.NextEventTime);
        int due = restored || _checkpoints is null ? -1 : _checkpoints.Due(_planner.SlowestCompleted, over);
        if (due > 0) BeginCheckpoint(due);
        else Advance();
    }

    /// <summary>Opens the next window for the agents with an event in it, or ends the run when no event is pending.</summary>
    private void Advance()
    {
        _planner.Hold = _checkpoints?.HoldAt ?? int.MaxValue;
        if (!_planner.TryPlan(_active))
        {
            string? error = null;
            try { _onFinished?.Invoke(); }
            catch (Exception e) { error = $"finishing the run failed: {e.GetType().Name}: {e.Message}"; }
            Complete(error);
            return;
        }
        _expected = _active.Count;
        int stop = _planner.HoldReleased ? int.MaxValue : _planner.Hold;
        foreach (var (i, end) in _active)
        {
            _running[i] = true;
            _refs[i].Tell(new RunWindow(end, (IReadOnlyList<RoutedArrival>?)_inbox[i] ?? [], stop));
            _inbox[i] = null;
        }
    }

    private void Complete(string? error)
    {
        if (_finished) return;
        _finished = true;
        // Messages routed but never handed to their agent (the run ended first) let go of their payloads.
        foreach (var list in _inbox)
            foreach (var a in list ?? []) a.Payload.Release();
        Array.Clear(_inbox);
        var byKind = ByteCounts.Merge(_bytesByKind);
        _done.TrySetResult(new AsyncWindowResult(_bytes, byKind, _planner.Windows, error) { ActiveAgentWindows = _planner.ActiveAgentWindows });
        Context.Stop(Self);
    }
}

/// <summary>What the windowed driver reports besides the observations it replayed into the sink.</summary>
public sealed record AsyncWindowResult(IReadOnlyList<long> BytesPerAgent, IReadOnlyDictionary<string, long> BytesByKind, long Windows, string? Error)
{
    /// <summary>The sum over windows of the agents that ran each one (mean active agents = this / <see cref="Windows"/>).</summary>
    public long ActiveAgentWindows { get; init; }
}
