using DecentralizedKD.Core.Training;
using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

/// <summary>
/// An agent in asynchronous mode: owns one <see cref="AsyncAgent"/> (model, optimizer, data, virtual clock, event
/// queue) and advances it one conservative time window per <see cref="RunWindow"/>, on the compute dispatcher.
/// Everything it sends or observes goes back to the coordinator, which routes and records it in agent order. At a
/// checkpoint it writes its own state file on its own thread.
/// </summary>
public sealed class AsyncAgentActor : ReceiveActor
{
    private readonly int _id;
    private readonly Func<IAsyncObserver, AsyncAgent> _create;
    private readonly IActorRef _coordinator;
    private readonly RecordingObserver _recorder = new();
    private readonly List<Outbound> _outbox = [];
    private AsyncAgent? _agent;
    private double _windowEnd;

    public AsyncAgentActor(int id, Func<IAsyncObserver, AsyncAgent> create, IActorRef coordinator)
    {
        _id = id;
        _create = create;
        _coordinator = coordinator;
        Receive<StartAsync>(_ => Guarded(() =>
        {
            TorchThreads.EnsureSingleThreaded();
            _agent = _create(_recorder);   // resuming: the factory has loaded the agent's state file
            _agent.Start(_outbox);         // a no-op for a restored agent
            Reply();
        }));
        Receive<RunWindow>(m => Guarded(() =>
        {
            TorchThreads.EnsureSingleThreaded();
            _windowEnd = m.End;
            var agent = Started();
            Enqueue(agent, m.Arrivals);
            agent.RunUntil(m.End, _outbox, m.StopAfterIterations);
            Reply();
        }));
        Receive<SaveAsyncAgentState>(m => Guarded(() =>
        {
            var agent = Started();
            Enqueue(agent, m.Arrivals);
            StateFile.Write(m.Path, m.Header, agent.SaveState);
            _coordinator.Tell(new AgentStateSaved(_id, m.Header.Round));
        }));
    }

    public static Props Props(int id, Func<IAsyncObserver, AsyncAgent> create, IActorRef coordinator, string? dispatcher)
    {
        var props = Akka.Actor.Props.Create(() => new AsyncAgentActor(id, create, coordinator));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    private AsyncAgent Started() => _agent ?? throw new InvalidOperationException("agent not started");

    private static void Enqueue(AsyncAgent agent, IReadOnlyList<RoutedArrival> arrivals)
    {
        foreach (var a in arrivals)
            agent.Queue.Enqueue(new SimEvent<AgentEvent>(a.Time, a.From, a.Sequence, new AgentEvent.Arrival(a.Payload)));
    }

    private void Reply()
    {
        var agent = _agent!;
        _coordinator.Tell(new WindowDone(_id, _outbox.ToArray(), _recorder.Drain(), agent.NextEventTime, agent.BytesSent,
            new Dictionary<string, long>(agent.BytesByKind), agent.CompletedIterations, agent.NextSendBound));
        _outbox.Clear();
    }

    private void Guarded(Action action)
    {
        try { action(); }
        catch (Exception e)
        {
            _coordinator.Tell(new AgentFailed(_id, -1, $"{e.GetType().Name}: {e.Message} (virtual time window ending {_windowEnd:G6}s)"));
            Context.Stop(Self);
        }
    }

    protected override void PostStop() => _agent?.Dispose();
}
