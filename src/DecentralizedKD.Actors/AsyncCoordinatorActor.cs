using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>
/// Drives the asynchronous simulation with conservative time windows (DESIGN.md §3). With lookahead L = the minimum
/// link latency, every event in [T, T+L) can run on all agents in parallel: nothing sent inside the window can arrive
/// inside it. After every agent reports the window done, the coordinator replays their observations in agent order,
/// routes their messages (fixing each message's (time, sender, sequence) key) and opens the next window at the
/// earliest pending event. With L = 0 each window holds exactly one instant (exact event order, slower, still right).
/// </summary>
public sealed partial class AsyncCoordinatorActor : ReceiveActor
{
    public delegate IActorRef SpawnAsyncAgent(IUntypedActorContext context, int agentId);

    private readonly int _agents;
    private readonly double _lookahead;
    private readonly SpawnAsyncAgent _spawn;
    private readonly IAsyncObserver _sink;
    private readonly TaskCompletionSource<AsyncWindowResult> _done;
    private readonly IActorRef[] _refs;
    private readonly Dictionary<IActorRef, int> _ids = [];
    private readonly WindowDone?[] _reports;
    private readonly long[] _sentCount;
    private readonly long[] _bytes;
    private readonly Dictionary<string, long>[] _bytesByKind;
    private int _reportCount;
    private long _windows;
    private bool _finished;

    private readonly Action? _onFinished;

    public AsyncCoordinatorActor(int agents, double lookahead, SpawnAsyncAgent spawn, IAsyncObserver sink, TaskCompletionSource<AsyncWindowResult> done,
        Action? onFinished, AsyncCheckpointing? checkpoints, AsyncCoordinatorState? resumeFrom)
    {
        _checkpoints = checkpoints;
        _onFinished = onFinished;
        _agents = agents;
        _lookahead = lookahead;
        _spawn = spawn;
        _sink = sink;
        _done = done;
        _refs = new IActorRef[agents];
        _reports = new WindowDone?[agents];
        _sentCount = new long[agents];
        _bytes = new long[agents];
        _bytesByKind = Enumerable.Range(0, agents).Select(_ => new Dictionary<string, long>()).ToArray();
        if (resumeFrom is not null) Restore(resumeFrom);
        Receive<WindowDone>(OnWindowDone);
        Receive<AgentStateSaved>(OnStateSaved);
        Receive<AgentFailed>(m => Complete($"agent {m.AgentId} failed: {m.Error}"));
        Receive<Terminated>(t => Complete($"agent {(_ids.TryGetValue(t.ActorRef, out int id) ? id : -1)} stopped unexpectedly"));
    }

    /// <param name="onFinished">Runs on the coordinator's (compute) thread after the last window, e.g. to flush metrics rows.</param>
    /// <param name="checkpoints">When to checkpoint and where (null = never).</param>
    /// <param name="resumeFrom">The checkpoint this run continues (its agents load their own files when they are created).</param>
    public static Props Props(int agents, double lookahead, SpawnAsyncAgent spawn, IAsyncObserver sink, TaskCompletionSource<AsyncWindowResult> done,
        Action? onFinished = null, string? dispatcher = null, AsyncCheckpointing? checkpoints = null, AsyncCoordinatorState? resumeFrom = null)
    {
        var props = Akka.Actor.Props.Create(() => new AsyncCoordinatorActor(agents, lookahead, spawn, sink, done, onFinished, checkpoints, resumeFrom));
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
        foreach (var r in _refs) r.Tell(new StartAsync());
    }

    private void OnWindowDone(WindowDone m)
    {
        if (_finished) return;
        _reports[m.AgentId] = m;
        if (++_reportCount < _agents) return;
        _reportCount = 0;
        // After a resume the first reports describe the restored agents: no window ran, no checkpoint is due.
        bool restored = _restoredStart;
        _restoredStart = false;
        if (!restored) _windows++;
        TorchThreads.EnsureSingleThreaded(); // the sink may evaluate the averaged model

        var inbox = Enumerable.Range(0, _agents).Select(_ => new List<RoutedArrival>()).ToArray<IReadOnlyList<RoutedArrival>>();
        double next = double.PositiveInfinity;
        for (int i = 0; i < _agents; i++)
        {
            var r = _reports[i]!;
            foreach (var o in r.Observations) o.ReplayTo(_sink);
            foreach (var o in r.Sent)
            {
                ((List<RoutedArrival>)inbox[o.To]).Add(new RoutedArrival(o.ArrivalTime, o.From, _sentCount[o.From]++, o.Payload));
                next = Math.Min(next, o.ArrivalTime);
            }
            next = Math.Min(next, r.NextEventTime);
            _bytes[i] = r.BytesSent;
            _bytesByKind[i] = new Dictionary<string, long>(r.BytesByKind);
        }
        int due = restored || _checkpoints is null ? -1
            : _checkpoints.Due(_reports.Min(r => r!.CompletedIterations), double.IsPositiveInfinity(next));
        if (due > 0) BeginCheckpoint(due, inbox, next);
        else Advance(inbox, next);
    }

    /// <summary>Opens the next window at the earliest pending event, or ends the run when there is none.</summary>
    private void Advance(IReadOnlyList<RoutedArrival>[] inbox, double next)
    {
        if (double.IsPositiveInfinity(next))
        {
            string? error = null;
            try { _onFinished?.Invoke(); }
            catch (Exception e) { error = $"finishing the run failed: {e.GetType().Name}: {e.Message}"; }
            Complete(error);
            return;
        }
        double end = _lookahead > 0 ? next + _lookahead : Math.BitIncrement(next);
        for (int i = 0; i < _agents; i++) _refs[i].Tell(new RunWindow(end, inbox[i]));
    }

    private void Complete(string? error)
    {
        if (_finished) return;
        _finished = true;
        var byKind = ByteCounts.Merge(_bytesByKind);
        _done.TrySetResult(new AsyncWindowResult(_bytes, byKind, _windows, error));
        Context.Stop(Self);
    }
}

/// <summary>What the windowed driver reports besides the observations it replayed into the sink.</summary>
public sealed record AsyncWindowResult(IReadOnlyList<long> BytesPerAgent, IReadOnlyDictionary<string, long> BytesByKind, long Windows, string? Error);
