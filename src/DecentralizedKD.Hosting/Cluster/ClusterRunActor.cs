using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using static Akka.Cluster.ClusterEvent;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>What the coordinator node needs for one run.</summary>
public sealed record ClusterRunSettings(
    CoordinatorSettings Coordinator,
    Props? EvaluatorProps,
    IRunObserver? Observer,
    ClusterOptions Options,
    string Fingerprint,
    long ChunkBytes)
{
    /// <summary>Asynchronous mode: builds the driver that replaces the synchronous coordinator (from the hosts' actors).</summary>
    public Func<IActorRef[], int[], TaskCompletionSource<RunResult>, Props>? AsyncDriver { get; init; }

    /// <summary>The run secret (experiment.cluster.secret-env): a worker joins the run only once it proved it. Null = none.</summary>
    public RunSecret? Secret { get; init; }
}

/// <summary>
/// The coordinator role's actor (at /user/run). It waits until <c>cluster.workers</c> worker members are Up, places
/// the agents on them (hosts ordered by address), sends each host its <see cref="AssignAgents"/> (resent until the host
/// registers its agents), then starts the ordinary <see cref="CoordinatorActor"/> over the registered agent references
/// (async mode: the <see cref="ClusterRunSettings.AsyncDriver"/> over the hosts)
/// and relays the hosts' reports to it. With a run secret a worker counts only once it proved the secret
/// (ClusterRunActor.Admission.cs); every report is taken only from the host of the agent it concerns (<see cref="OwnerCheck"/>). A host that becomes unreachable, leaves or stops aborts the run with a message
/// naming the host and the round (with <c>cluster.on-host-loss = continue</c> the run goes on without its agents);
/// nothing waits forever (start timeout, failure detector, final-stats timeout).
/// </summary>
public sealed partial class ClusterRunActor : ReceiveActor, IWithTimers
{
    private sealed record StartTimedOut;
    private sealed record ResendAssignments;
    private sealed record StatsTimedOut;

    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    private readonly ClusterRunSettings _settings;
    private readonly TaskCompletionSource<ClusterRunResult> _done;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ChunkAssembler _assembler;
    private readonly LargeObjectGarbageBudget _reportGarbage = new(LargeObjectGarbageBudget.ReportRelayBytes);
    private readonly ChunkedLink _link;
    private readonly ClusterCheckpointWriter? _checkpointWriter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly OwnerCheck _owners = new(Context.GetLogger(), "coordinator node");
    private readonly List<Member> _up = [];
    private Address[] _hostAddresses = [];
    private IActorRef[] _hosts = [];
    private int[] _hostOfAgent = [];
    private int[][] _agentsOf = [];
    private IActorRef[]?[] _registered = [];
    private bool[] _lost = [];
    private HostWireStats?[] _stats = [];
    private IActorRef? _coordinator;
    private RunResult? _result;
    private bool _completed;

    public ITimerScheduler Timers { get; set; } = null!;

    public ClusterRunActor(ClusterRunSettings settings, TaskCompletionSource<ClusterRunResult> done)
    {
        _settings = settings;
        _done = done;
        _assembler = new ChunkAssembler(Context.System);
        _link = new ChunkedLink(Context.System, settings.ChunkBytes);
        _checkpointWriter = settings.Coordinator.Checkpoints is { } checkpoints ? new ClusterCheckpointWriter(checkpoints) : null;

        Receive<MemberUp>(m => OnMemberUp(m.Member));
        Receive<UnreachableMember>(m =>
        {
            OnHostGone(m.Member.Address, "became unreachable");
            // The run stops anyway; downing the lost host at once lets the others leave the cluster without waiting
            // for the split-brain resolver (an unreachable member blocks convergence, hence every leave).
            if (Array.IndexOf(_hostAddresses, m.Member.Address) >= 0) _cluster.Down(m.Member.Address);
        });
        Receive<MemberLeft>(m => OnHostGone(m.Member.Address, "left the cluster"));
        Receive<MemberExited>(m => OnHostGone(m.Member.Address, "left the cluster"));
        Receive<MemberRemoved>(m => OnHostGone(m.Member.Address, "was removed from the cluster"));
        Receive<IMemberEvent>(_ => { });
        Receive<IReachabilityEvent>(_ => { });
        Receive<Terminated>(t =>
        {
            // By path: the hosts were resolved from their addresses, so their refs carry no actor uid, and reference
            // equality with the terminated ref (which carries one) would never match.
            int k = Array.FindIndex(_hosts, h => h.Path.Equals(t.ActorRef.Path));
            if (k >= 0) OnHostGone(_hostAddresses[k], "stopped");
        });
        Receive<StartTimedOut>(_ => Fail($"only {_registered.Count(r => r is not null)} of {_settings.Options.Workers} worker hosts " +
            $"({_up.Count} Up{(_refused.Count > 0 ? $", {_refused.Count} refused" : "")}) registered within {_settings.Options.StartTimeout.TotalSeconds:0.#}s (cluster.start-timeout)"));
        Receive<ResendAssignments>(_ => SendAssignments());
        Receive<ResendChallenges>(_ =>
        {
            foreach (var address in _challenged.Keys) SendChallenge(address);
        });
        Receive<JoinProof>(OnProof);
        Receive<DownRefused>(m => _cluster.Down(m.Address));
        // Everything below comes from other hosts: accepted only from the host it names or whose agent it concerns.
        Receive<AgentsRegistered>(m =>
        {
            if (!_owners.IsHost(Sender, m.HostIndex, m)) return;
            // The watch on the ref resolved from the host's address never reported a host actor that stopped while
            // its node stayed up (ClusterRunActorTests); the registering host's own ref is the live actor, and its
            // watch does (Terminated is matched by path, as the two refs differ in their uid).
            Context.Watch(Sender);
            OnRegistered(m);
        });
        Receive<AgentStatesRestored>(m =>
        {
            if (_owners.IsHost(Sender, m.HostIndex, m)) OnRestored(m);
        });
        Receive<HostRejected>(m =>
        {
            if (_owners.IsHost(Sender, m.HostIndex, m)) Fail($"worker host {Describe(m.HostIndex)} {m.Reason}");
        });
        Receive<WireChunk>(c =>
        {
            if (!_owners.IsAnyHost(Sender, c)) return;
            var whole = _assembler.AddOrDrop(c, Sender);
            if (whole is not null) Self.Tell(whole, Sender);
        });
        Receive<RoundDone>(m =>
        {
            if (_owners.SpeaksFor(Sender, m.AgentId, m)) ToCoordinator(m);
        });
        Receive<EvaluationReport>(m =>
        {
            if (!_owners.SpeaksFor(Sender, m.AgentId, m)) return;
            ToCoordinator(m);
            Sender.Tell(new EvaluationReportReceived(m.AgentId), Self);   // the host may send its next report
            _reportGarbage.Add(4L * m.Parameters.Length);
        });
        Receive<AgentStateBytes>(m =>
        {
            if (_owners.SpeaksFor(Sender, m.AgentId, m)) OnAgentState(m);
        });
        Receive<AgentFailed>(m =>
        {
            if (_owners.SpeaksFor(Sender, m.AgentId, m)) ToCoordinator(m);
        });
        Receive<AbortRun>(m =>
        {
            if (_owners.IsAnyHost(Sender, m)) ToCoordinator(m);
        });
        Receive<HostWindowDone>(OnWindowDone);
        Receive<RunResult>(OnRunResult);
        Receive<HostWireStats>(m =>
        {
            // A host that never got its assignment answers with index -1: its stats are still its own.
            int k = _owners.HostOf(Sender);
            if (k >= 0 && m.HostIndex == -1) OnStats(m with { HostIndex = k });
            else if (_owners.IsHost(Sender, m.HostIndex, m)) OnStats(m);
        });
        Receive<StatsTimedOut>(_ => Complete());
    }

    public static Props Props(ClusterRunSettings settings, TaskCompletionSource<ClusterRunResult> done) =>
        Akka.Actor.Props.Create(() => new ClusterRunActor(settings, done));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, SubscriptionInitialStateMode.InitialStateAsEvents, typeof(IMemberEvent), typeof(IReachabilityEvent));
        Timers.StartSingleTimer("start", new StartTimedOut(), _settings.Options.StartTimeout);
        if (_settings.Secret is not null) Timers.StartPeriodicTimer("challenge", new ResendChallenges(), _settings.Options.RegisterRetry);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private bool Assigned => _hosts.Length > 0;

    private void Admit(Member member)
    {
        _up.Add(member);
        if (_up.Count < _settings.Options.Workers) return;

        // Placement: hosts ordered by address (any order gives the same results; this one is reproducible).
        var members = _up.OrderBy(m => m.Address, Member.AddressOrdering).ToArray();
        int n = members.Length, agents = _settings.Coordinator.Agents;
        _hostAddresses = members.Select(m => m.Address).ToArray();
        _hostOfAgent = Placement.Assign(agents, n, _settings.Options.Placement);
        _agentsOf = Enumerable.Range(0, n).Select(k => Enumerable.Range(0, agents).Where(i => _hostOfAgent[i] == k).ToArray()).ToArray();
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        _hosts = _hostAddresses.Select(a => provider.ResolveActorRef(new RootActorPath(a) / "user" / "host")).ToArray();
        _registered = new IActorRef[n][];
        _lost = new bool[n];
        _stats = new HostWireStats?[n];
        _owners.Place(_hostAddresses, _hostOfAgent);
        foreach (var h in _hosts) Context.Watch(h);
        SendRestores();
        SendAssignments();
        Timers.StartPeriodicTimer("resend", new ResendAssignments(), _settings.Options.RegisterRetry);
    }

    private void SendAssignments()
    {
        if (_result is not null) return;
        for (int k = 0; k < _hosts.Length; k++)
        {
            if (_registered[k] is not null || !Restored(k)) continue;
            _link.Send(_hosts[k], new AssignAgents(k, _agentsOf[k], _hostOfAgent, _hosts, _settings.Fingerprint), Self);
        }
    }

    private void OnRegistered(AgentsRegistered m)
    {
        if (_coordinator is not null || _completed || m.HostIndex < 0 || m.HostIndex >= _hosts.Length) return;   // a late duplicate
        if (!m.AgentIds.SequenceEqual(_agentsOf[m.HostIndex]) || m.Agents.Length != m.AgentIds.Length)
        {
            Fail($"worker host {Describe(m.HostIndex)} registered agents {Placement.Describe(m.AgentIds)}, expected {Placement.Describe(_agentsOf[m.HostIndex])}");
            return;
        }
        _registered[m.HostIndex] = m.Agents;
        if (_registered.Any(r => r is null)) return;

        Timers.Cancel("resend");
        Timers.Cancel("start");
        Timers.Cancel("challenge");
        var agentRefs = new IActorRef[_settings.Coordinator.Agents];
        for (int k = 0; k < _hosts.Length; k++)
            for (int j = 0; j < _agentsOf[k].Length; j++) agentRefs[_agentsOf[k][j]] = _registered[k]![j];
        var result = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _coordinator = Context.ActorOf(_settings.AsyncDriver?.Invoke(_hosts, _hostOfAgent, result) ?? CoordinatorActor.Props(_settings.Coordinator with { WatchAgents = false },
            (_, i) => agentRefs[i], _settings.EvaluatorProps, _settings.Observer, result), "coordinator");
        result.Task.PipeTo(Self);
    }

    /// <summary>
    /// A host's window report: only from that host, and only about its own agents — a report that speaks for another
    /// host's agent is dropped whole (a host's real report never does, and a stray one would end the run as a protocol error).
    /// </summary>
    private void OnWindowDone(HostWindowDone m)
    {
        if (!_owners.IsHost(Sender, m.HostIndex, m)) return;
        foreach (var report in m.Agents)
            if (!_owners.SpeaksFor(Sender, report.AgentId, m)) return;
        ToCoordinator(m);
    }

    private void ToCoordinator(object message)
    {
        if (_coordinator is not null) _coordinator.Forward(message);
        else if (message is AbortRun abort) Fail(abort.Reason + " before the run started");
    }

    private void OnHostGone(Address address, string what)
    {
        _challenged.Remove(address);
        int k = Array.IndexOf(_hostAddresses, address);
        if (k < 0 || _lost[k]) return;
        _lost[k] = true;
        string reason = $"worker host {Describe(k)} {what}";
        if (_result is not null) OnStats(null);   // the run is already over: just stop waiting for its stats
        else if (_coordinator is not null && _settings.Options.ContinuesOnHostLoss) _coordinator.Tell(new AgentsLost(_agentsOf[k], reason));
        else if (_coordinator is not null) _coordinator.Tell(new AbortRun(reason));
        else Fail(reason + " before the run started");
    }

    private string Describe(int k) =>
        k >= 0 && k < _hosts.Length ? $"{_hostAddresses[k]} (worker {k}, agents {Placement.Describe(_agentsOf[k])})" : $"#{k}";

    private void Fail(string error)
    {
        if (_result is not null) return;
        var empty = new RunResult([], [], new long[_settings.Coordinator.Agents], new Dictionary<string, long>(), error);
        OnRunResult(empty);
    }

    /// <summary>The run is over: tell every live host (they stop their agents and answer with their wire counters).</summary>
    private void OnRunResult(RunResult result)
    {
        if (_result is not null) return;
        _result = result = WithResumeHint(result);
        Timers.CancelAll();
        if (_coordinator is not null) Context.Stop(_coordinator);
        for (int k = 0; k < _hosts.Length; k++)
            if (!_lost[k]) _hosts[k].Tell(new RunFinished(result.Error));
        Timers.StartSingleTimer("stats", new StatsTimedOut(), StatsTimeout);
        OnStats(null);
    }

    private void OnStats(HostWireStats? stats)
    {
        if (stats is not null && stats.HostIndex >= 0 && stats.HostIndex < _stats.Length) _stats[stats.HostIndex] = stats;
        if (_result is null) return;
        for (int k = 0; k < _hosts.Length; k++)
            if (!_lost[k] && _stats[k] is null) return;
        Complete();
    }

    private void Complete()
    {
        if (_completed || _result is null) return;
        _completed = true;
        var hosts = Enumerable.Range(0, _hosts.Length)
            .Select(k => new HostReport(k, _hostAddresses[k].ToString(), _agentsOf[k], _stats[k])).ToList();
        var dropped = _owners.Dropped.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value);
        if (dropped.Count > 0)
            _log.Warning("coordinator node: {0} cross-host message(s) dropped in all ({1})", _owners.DroppedTotal,
                string.Join(", ", dropped.Select(kv => $"{kv.Value} from {kv.Key}")));
        _done.TrySetResult(new ClusterRunResult(_result, hosts) { Dropped = dropped });
    }
}
