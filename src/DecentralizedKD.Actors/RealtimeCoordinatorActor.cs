using System.Diagnostics;
using Akka.Actor;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>
/// Realtime mode: starts every agent on a shared wall clock, replays their observations into the sink as they come
/// (arrival order: not reproducible) and ends the run when every agent has finished.
/// </summary>
public sealed class RealtimeCoordinatorActor : ReceiveActor
{
    private readonly IActorRef[] _refs;
    private readonly bool[] _finished;
    private readonly long[] _bytes;
    private readonly Dictionary<string, long>[] _byKind;
    private readonly IAsyncObserver _sink;
    private readonly TaskCompletionSource<AsyncWindowResult> _done;
    private readonly Action? _onFinished;
    private readonly Func<IUntypedActorContext, int, Stopwatch, IActorRef> _spawn;
    private readonly IReadOnlyList<IReadOnlyList<int>> _neighbours;
    private bool _complete;

    public RealtimeCoordinatorActor(int agents, IReadOnlyList<IReadOnlyList<int>> neighbours, Func<IUntypedActorContext, int, Stopwatch, IActorRef> spawn,
        IAsyncObserver sink, TaskCompletionSource<AsyncWindowResult> done, Action? onFinished)
    {
        _refs = new IActorRef[agents];
        _finished = new bool[agents];
        _bytes = new long[agents];
        _byKind = Enumerable.Range(0, agents).Select(_ => new Dictionary<string, long>()).ToArray();
        _neighbours = neighbours;
        _spawn = spawn;
        _sink = sink;
        _done = done;
        _onFinished = onFinished;
        Receive<RealtimeReport>(OnReport);
        Receive<AgentFailed>(m => Complete($"agent {m.AgentId} failed: {m.Error}"));
        Receive<Terminated>(_ => Complete("an agent stopped unexpectedly"));
    }

    public static Props Props(int agents, IReadOnlyList<IReadOnlyList<int>> neighbours, Func<IUntypedActorContext, int, Stopwatch, IActorRef> spawn,
        IAsyncObserver sink, TaskCompletionSource<AsyncWindowResult> done, Action? onFinished, string? dispatcher)
    {
        var props = Akka.Actor.Props.Create(() => new RealtimeCoordinatorActor(agents, neighbours, spawn, sink, done, onFinished));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        var clock = new Stopwatch();
        for (int i = 0; i < _refs.Length; i++)
        {
            _refs[i] = _spawn(Context, i, clock);
            Context.Watch(_refs[i]);
        }
        for (int i = 0; i < _refs.Length; i++)
            _refs[i].Tell(new SetNeighbours(_neighbours[i].ToDictionary(j => j, j => _refs[j])));
        clock.Start();
        foreach (var r in _refs) r.Tell(new StartAsync());
    }

    private void OnReport(RealtimeReport m)
    {
        if (_complete) return;
        TorchThreads.EnsureSingleThreaded();
        foreach (var o in m.Observations) o.ReplayTo(_sink);
        _bytes[m.AgentId] = m.BytesSent;
        _byKind[m.AgentId] = new Dictionary<string, long>(m.BytesByKind);
        if (m.Finished) _finished[m.AgentId] = true;
        if (!_finished.All(f => f)) return;
        string? error = null;
        try { _onFinished?.Invoke(); }
        catch (Exception e) { error = $"finishing the run failed: {e.GetType().Name}: {e.Message}"; }
        Complete(error);
    }

    private void Complete(string? error)
    {
        if (_complete) return;
        _complete = true;
        var byKind = ByteCounts.Merge(_byKind);
        _done.TrySetResult(new AsyncWindowResult(_bytes, byKind, 0, error));
        Context.Stop(Self);
    }
}
