using DecentralizedKD.Core.Training;
using System.Diagnostics;
using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

/// <summary>Realtime mode: a payload that the scheduler delivers after its wall-clock delay.</summary>
public sealed record RealtimeArrival(double Time, int From, long Sequence, Payload Payload);

/// <summary>Realtime mode: "handle everything that is due now".</summary>
public sealed record Wake;

/// <summary>Realtime mode, agent → coordinator: what it observed since the last report, and whether it has finished.</summary>
public sealed record RealtimeReport(int AgentId, IReadOnlyList<AsyncObservation> Observations, bool Finished, long BytesSent, IReadOnlyDictionary<string, long> BytesByKind);

/// <summary>
/// Realtime mode (demos): the same agent logic as asynchronous mode, but its clock is the wall clock. Step times,
/// latencies and transfer times become real delays through the Akka scheduler (10 ms resolution), and messages race
/// for real, so runs are NOT reproducible — the results are labelled so.
/// </summary>
public sealed class RealtimeAgentActor : ReceiveActor
{
    private readonly int _id;
    private readonly IActorRef _coordinator;
    private IReadOnlyDictionary<int, IActorRef> _peers = new Dictionary<int, IActorRef>();
    private readonly Stopwatch _clock;
    private readonly RecordingObserver _recorder = new();
    private readonly List<Outbound> _outbox = [];
    private readonly Func<IAsyncObserver, AsyncAgent> _create;
    private AsyncAgent? _agent;
    private long _sent;
    private ICancelable? _wake;
    private bool _reportedFinished;

    public RealtimeAgentActor(int id, Func<IAsyncObserver, AsyncAgent> create, IActorRef coordinator, Stopwatch clock)
    {
        _id = id;
        _create = create;
        _coordinator = coordinator;
        _clock = clock;
        Receive<SetNeighbours>(m => _peers = m.Neighbours);
        Receive<StartAsync>(_ => Guarded(() =>
        {
            TorchThreads.EnsureSingleThreaded();
            _agent = _create(_recorder);
            _agent.Start(_outbox);
            Step();
        }));
        Receive<RealtimeArrival>(m => Guarded(() =>
        {
            _agent!.Queue.Enqueue(new SimEvent<AgentEvent>(m.Time, m.From, m.Sequence, new AgentEvent.Arrival(m.Payload)));
            Step();
        }));
        Receive<Wake>(_ => Guarded(Step));
    }

    public static Props Props(int id, Func<IAsyncObserver, AsyncAgent> create, IActorRef coordinator, Stopwatch clock, string? dispatcher)
    {
        var props = Akka.Actor.Props.Create(() => new RealtimeAgentActor(id, create, coordinator, clock));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    private double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Handle every event that is due, send what was produced with its real delay, sleep until the next event.</summary>
    private void Step()
    {
        TorchThreads.EnsureSingleThreaded();
        var agent = _agent!;
        agent.RunUntil(Math.BitIncrement(Now), _outbox);
        foreach (var o in _outbox)
        {
            var message = new RealtimeArrival(o.ArrivalTime, o.From, _sent++, o.Payload);
            var delay = TimeSpan.FromSeconds(Math.Max(0, o.ArrivalTime - Now));
            Context.System.Scheduler.ScheduleTellOnce(delay, _peers[o.To], message, Self);
        }
        _outbox.Clear();
        _wake?.Cancel();
        double next = agent.NextEventTime;
        // Done, or nothing will ever happen again (e.g. offline for good): either way this agent is finished.
        bool finished = agent.Done || double.IsPositiveInfinity(next);
        if (!double.IsPositiveInfinity(next))
            _wake = Context.System.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(Math.Max(0, next - Now)), Self, new Wake(), Self);
        var observations = _recorder.Drain();
        if (observations.Length > 0 || (finished && !_reportedFinished))
        {
            _reportedFinished |= finished;
            _coordinator.Tell(new RealtimeReport(_id, observations, finished, agent.BytesSent, new Dictionary<string, long>(agent.BytesByKind)));
        }
    }

    private void Guarded(Action action)
    {
        try { action(); }
        catch (Exception e)
        {
            _coordinator.Tell(new AgentFailed(_id, -1, $"{e.GetType().Name}: {e.Message}"));
            Context.Stop(Self);
        }
    }

    protected override void PostStop()
    {
        _wake?.Cancel();
        _agent?.Dispose();
    }
}
