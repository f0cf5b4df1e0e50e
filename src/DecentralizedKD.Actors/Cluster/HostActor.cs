using Akka.Actor;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Actors.Cluster;

/// <summary>What a worker host needs: how to build agent i, where agents compute, how big a frame may be, and whom to tell its agent ids.</summary>
public sealed record HostSettings(
    Func<int, IAgentRuntime> CreateAgent,
    string? Dispatcher,
    long ChunkBytes,
    string Fingerprint,
    Func<HostWireStats>? WireStats,
    Action<string?> OnFinished,
    Action<int[]>? OnAssigned = null);

/// <summary>
/// The worker role's actor (at /user/host). On <see cref="AssignAgents"/> it creates the agents placed on this host
/// and registers them with the coordinator node (answering a repeated assignment with the same agents). It is the
/// host's only cross-host endpoint besides the agents' small replies: it relays the agents' reports to the
/// coordinator node and their payloads to other hosts (one copy per host, chunked when large), and delivers incoming
/// host payloads to each local target agent by reference. An agent that stops unexpectedly aborts the run.
/// </summary>
public sealed partial class HostActor : ReceiveActor
{
    private readonly HostSettings _settings;
    private readonly ChunkedLink _link;
    private readonly ChunkAssembler _assembler;
    private readonly Dictionary<int, IActorRef> _agents = [];
    private readonly HashSet<int> _failed = [];
    private AssignAgents? _assignment;
    private IActorRef _coordinatorNode = ActorRefs.Nobody;
    private string? _childError;
    private bool _finished;

    public HostActor(HostSettings settings)
    {
        _settings = settings;
        _link = new ChunkedLink(Context.System, settings.ChunkBytes);
        _assembler = new ChunkAssembler(Context.System);
        Receive<AssignAgents>(OnAssign);
        Receive<RestoreAgentStates>(OnRestore);
        Receive<RelayGossip>(m => _link.Send(_assignment!.Hosts[m.Host], new HostGossip(m.Payload, m.Targets), Self));
        Receive<HostGossip>(OnHostGossip);
        Receive<WireChunk>(c =>
        {
            var whole = _assembler.Add(c, Sender);
            if (whole is not null) Self.Tell(whole, Sender);
        });
        Receive<RoundDone>(Relay);
        Receive<EvaluationReport>(Relay);
        Receive<AgentStateBytes>(Relay);
        Receive<AgentFailed>(m =>
        {
            _failed.Add(m.AgentId);
            Relay(m);
        });
        Receive<RunFinished>(m =>
        {
            var stats = _settings.WireStats?.Invoke() ?? new HostWireStats(0, new Dictionary<string, long>(), new Dictionary<string, long>());
            Sender.Tell(stats with { HostIndex = _assignment?.HostIndex ?? -1 });
            Finish(m.Error);
        });
        Receive<Terminated>(OnTerminated);
    }

    public static Props Props(HostSettings settings) => Akka.Actor.Props.Create(() => new HostActor(settings));

    // An agent that throws while being built is stopped (its training state would be lost by a restart); OnTerminated reports it.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _childError ??= $"{e.GetType().Name}: {e.Message}";
        return Directive.Stop;
    });

    private void OnAssign(AssignAgents m)
    {
        if (m.Fingerprint != _settings.Fingerprint)
        {
            Sender.Tell(new HostRejected(m.HostIndex,
                $"was started with a different experiment (config fingerprint {_settings.Fingerprint}, coordinator has {m.Fingerprint})"));
            return;
        }
        if (_assignment is not null && (_assignment.HostIndex != m.HostIndex || !_assignment.AgentIds.SequenceEqual(m.AgentIds)))
        {
            Sender.Tell(new HostRejected(m.HostIndex, $"already runs agents as worker {_assignment.HostIndex}"));
            return;
        }
        if (_assignment is null)
        {
            _assignment = m;
            _settings.OnAssigned?.Invoke(m.AgentIds);   // before any agent exists: e.g. which GPU each one gets
            _coordinatorNode = Sender;
            Context.Watch(_coordinatorNode);
            var outbox = new HostOutbox(Self, m.HostIndex, m.HostOfAgent);
            foreach (int i in m.AgentIds)
            {
                var agent = Context.ActorOf(AgentActor.Props(i, AgentFactory(i), Self, _settings.Dispatcher, outbox, shipsState: true), $"agent-{i}");
                Context.Watch(agent);
                _agents[i] = agent;
            }
        }
        Sender.Tell(new AgentsRegistered(m.HostIndex, m.AgentIds, m.AgentIds.Select(i => _agents[i]).ToArray()));
    }

    private void OnHostGossip(HostGossip m)
    {
        // Every local target gets the same payload instance (zero copy on this host).
        var gossip = new GossipMessage(m.Payload);
        foreach (int target in m.Targets)
        {
            if (_agents.TryGetValue(target, out var agent)) agent.Tell(gossip, Sender);
            else Relay(new AbortRun($"host {_assignment?.HostIndex} got a payload for agent {target}, which it does not hold"));
        }
    }

    private void Relay(object message) => _link.Send(_coordinatorNode, message, Self);

    private void OnTerminated(Terminated t)
    {
        if (_finished) return;
        if (t.ActorRef.Equals(_coordinatorNode))
        {
            Finish($"the coordinator node {t.ActorRef.Path.Address} stopped before the run ended");
            return;
        }
        int id = _agents.FirstOrDefault(kv => kv.Value.Equals(t.ActorRef), new(-1, ActorRefs.Nobody)).Key;
        if (id < 0 || _failed.Contains(id)) return;   // an agent that reported AgentFailed already named its error
        Relay(new AbortRun($"agent {id} on host {((ExtendedActorSystem)Context.System).Provider.DefaultAddress} stopped unexpectedly"
            + (_childError is null ? "" : $" ({_childError})")));
    }

    private void Finish(string? error)
    {
        if (_finished) return;
        _finished = true;
        foreach (var agent in _agents.Values)
        {
            Context.Unwatch(agent);
            Context.Stop(agent);
        }
        _settings.OnFinished(error);
    }
}
