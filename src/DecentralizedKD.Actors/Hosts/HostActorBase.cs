using Akka.Actor;
using Akka.Event;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// What a worker host needs in either mode: where agents compute, how big a frame may be, which experiment it was
/// started for, and whom to tell its agent ids and its end. How an agent is built differs per mode, so each host
/// actor's Props takes that separately.
/// </summary>
public sealed record HostSettings(
    string? Dispatcher,
    long ChunkBytes,
    string Fingerprint,
    Func<HostWireStats>? WireStats,
    Action<string?> OnFinished,
    Action<int[]>? OnAssigned = null)
{
    /// <summary>The run secret (experiment.cluster.secret-env): the host then takes its assignment only from a
    /// coordinator node that proved it, and proves it itself when challenged. Null = the run has none.</summary>
    public RunSecret? Secret { get; init; }
}

/// <summary>
/// The worker role's actor (at /user/host) in either mode (<see cref="HostActor"/>, <see cref="AsyncHostActor"/>).
/// It accepts one assignment from the coordinator node (answering a repeated one with the same agents, rejecting one
/// of another experiment or another worker slot), reassembles chunked messages, relays agent failures, aborts the run
/// when an agent stops unexpectedly, and finishes once: when the run ends, the coordinator node is lost or refuses it.
/// With a run secret it answers the coordinator node's challenge and takes its assignment only from a coordinator that
/// proved the secret; once assigned it takes control messages only from that node and host-to-host messages only from
/// the host of the agent they speak for (<see cref="OwnerCheck"/>).
/// </summary>
public abstract class HostActorBase : ReceiveActor
{
    private readonly ChunkAssembler _assembler;
    // Sorted: the async host reports its agents in ascending id. The coordinator node assigns ids in ascending order,
    // so for the sync host this is also the order they were created in.
    private readonly SortedDictionary<int, IActorRef> _agents = [];
    private readonly HashSet<int> _failed = [];
    private IActorRef _coordinatorNode = ActorRefs.Nobody;
    // With a run secret: the coordinator node that proved it (the only one this host takes an assignment from).
    private Address? _provenCoordinator;
    private bool _warnedUnproven;
    private string? _childError;

    protected HostActorBase(HostSettings settings)
    {
        Settings = settings;
        Link = new ChunkedLink(Context.System, settings.ChunkBytes);
        _assembler = new ChunkAssembler(Context.System);
        Owners = new OwnerCheck(Context.GetLogger(), $"worker host {((ExtendedActorSystem)Context.System).Provider.DefaultAddress}");
        Receive<AssignAgents>(OnAssign);
        Receive<JoinChallenge>(OnChallenge);
        Receive<JoinRefused>(m =>
        {
            if (Assignment is null && (_provenCoordinator is null || Sender.Path.Address == _provenCoordinator)) Finish(m.Reason);
        });
        Receive<WireChunk>(c =>
        {
            // Chunks come from the coordinator node or another host of the run; from anyone else they are dropped whole.
            if (!IsCoordinator(Sender) && !Owners.IsAnyHost(Sender, c)) return;
            var whole = _assembler.AddOrDrop(c, Sender);
            if (whole is not null) Self.Tell(whole, Sender);
        });
        Receive<AgentFailed>(m =>
        {
            _failed.Add(m.AgentId);
            Relay(m);
        });
        Receive<RunFinished>(m =>
        {
            if (!FromCoordinator(m)) return;
            var stats = Settings.WireStats?.Invoke() ?? new HostWireStats(0, new Dictionary<string, long>(), new Dictionary<string, long>());
            Sender.Tell(stats with { HostIndex = Assignment?.HostIndex ?? -1, Dropped = Owners.DroppedTotal });
            Finish(m.Error);
        });
        Receive<Terminated>(OnTerminated);
    }

    protected HostSettings Settings { get; }

    /// <summary>Which host speaks for which agent (placed with the assignment); counts and logs what it drops.</summary>
    protected OwnerCheck Owners { get; }
    protected ChunkedLink Link { get; }
    protected IReadOnlyDictionary<int, IActorRef> Agents => _agents;
    protected AssignAgents? Assignment { get; private set; }
    protected bool Finished { get; private set; }

    /// <summary>Creates this host's agents (each through <see cref="StartAgent"/>) once the assignment is accepted.</summary>
    protected abstract void CreateAgents(AssignAgents assignment);

    protected void StartAgent(int id, Props props)
    {
        var agent = Context.ActorOf(props, $"agent-{id}");
        Context.Watch(agent);
        _agents[id] = agent;
    }

    protected void Relay(object message) => Link.Send(_coordinatorNode, message, Self);

    /// <summary>Whether a control message comes from the coordinator node (<see cref="IsCoordinator"/>); anything else is dropped and counted.</summary>
    protected bool FromCoordinator(object message)
    {
        if (IsCoordinator(Sender)) return true;
        Owners.Drop(Sender, message, "the sender is not the coordinator node of this run");
        return false;
    }

    /// <summary>Once assigned: the node that assigned this host. Before: with a run secret the node that proved it
    /// (so no one else can, e.g., hand this host agent states to resume from), without one anyone.</summary>
    private bool IsCoordinator(IActorRef sender) => Assignment is not null
        ? sender.Path.Address == _coordinatorNode.Path.Address
        : Settings.Secret is null || sender.Path.Address == _provenCoordinator;

    // An agent that throws is stopped (its training state would be lost by a restart); OnTerminated reports it.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _childError ??= $"{e.GetType().Name}: {e.Message}";
        return Directive.Stop;
    });

    private Address SelfAddress => ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;

    /// <summary>
    /// The coordinator node asks for the run secret. The host answers with its proof in any case (the coordinator
    /// refuses a wrong one and says so), but trusts the challenger — takes its assignment — only if its own proof holds.
    /// </summary>
    private void OnChallenge(JoinChallenge m)
    {
        if (Assignment is not null || Finished) return;
        if (Settings.Secret is not { } secret)
        {
            Sender.Tell(new JoinProof(m.Nonce, []));
            return;
        }
        var challenger = Sender.Path.Address;
        if (secret.Verify(m.Proof, RunSecret.CoordinatorRole, m.Nonce, Settings.Fingerprint, challenger.ToString())) _provenCoordinator = challenger;
        else if (!_warnedUnproven)
        {
            _warnedUnproven = true;
            Context.GetLogger().Warning("worker host {0}: the coordinator node {1} does not prove the run secret; its assignment will be refused", SelfAddress, challenger);
        }
        Sender.Tell(new JoinProof(m.Nonce, secret.Prove(RunSecret.WorkerRole, m.Nonce, Settings.Fingerprint, SelfAddress.ToString())));
    }

    private void OnAssign(AssignAgents m)
    {
        if (Assignment is null && Settings.Secret is not null && Sender.Path.Address != _provenCoordinator)
        {
            Sender.Tell(new HostRejected(m.HostIndex, "has a run secret (experiment.cluster.secret-env) that the coordinator node did not prove"));
            return;
        }
        if (!FromCoordinator(m)) return;
        if (m.Fingerprint != Settings.Fingerprint)
        {
            Sender.Tell(new HostRejected(m.HostIndex,
                $"was started with a different experiment (config fingerprint {Settings.Fingerprint}, coordinator has {m.Fingerprint})"));
            return;
        }
        if (Assignment is not null && (Assignment.HostIndex != m.HostIndex || !Assignment.AgentIds.SequenceEqual(m.AgentIds)))
        {
            Sender.Tell(new HostRejected(m.HostIndex, $"already runs agents as worker {Assignment.HostIndex}"));
            return;
        }
        if (Assignment is null)
        {
            Assignment = m;
            Settings.OnAssigned?.Invoke(m.AgentIds);   // before any agent exists: e.g. which GPU each one gets
            _coordinatorNode = Sender;
            Owners.Place(m.Hosts.Select(h => h.Path.Address).ToArray(), m.HostOfAgent, m.HostIndex);
            Context.Watch(_coordinatorNode);
            CreateAgents(m);
        }
        Sender.Tell(new AgentsRegistered(m.HostIndex, m.AgentIds, m.AgentIds.Select(i => _agents[i]).ToArray()));
    }

    private void OnTerminated(Terminated t)
    {
        if (Finished) return;
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
        if (Finished) return;
        Finished = true;
        foreach (var agent in _agents.Values)
        {
            Context.Unwatch(agent);
            Context.Stop(agent);
        }
        Settings.OnFinished(error);
    }
}
