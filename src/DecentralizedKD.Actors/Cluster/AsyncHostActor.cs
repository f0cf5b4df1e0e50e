using Akka.Actor;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Cluster;

/// <summary>What an asynchronous-mode worker host needs: how to build agent i (reporting into an observer), and the rest as for sync.</summary>
public sealed record AsyncHostSettings(
    Func<int, IAsyncObserver, AsyncAgent> CreateAgent,
    string? Dispatcher,
    long ChunkBytes,
    string Fingerprint,
    Func<HostWireStats>? WireStats,
    Action<string?> OnFinished,
    Action<int[]>? OnAssigned = null);

/// <summary>
/// The worker role's actor (at /user/host) in asynchronous mode. It creates an <see cref="AsyncAgentActor"/> per agent
/// placed here and runs them one conservative time window at a time as the coordinator node says
/// (<see cref="HostRunWindow"/>). When all its agents are done with a window it (1) numbers their sent payloads per
/// sender, keeps those for local agents and sends every other host ONE <see cref="HostArrivals"/> with each payload once
/// (targets listed), and (2) reports the agents' observations and next-event times to the coordinator node. The next
/// window starts once the coordinator says so AND every other host's arrivals of this window are in, so each agent
/// sees exactly the arrivals the single-process driver would give it.
/// </summary>
public sealed class AsyncHostActor : ReceiveActor
{
    private readonly AsyncHostSettings _settings;
    private readonly ChunkedLink _link;
    private readonly ChunkAssembler _assembler;
    private readonly SortedDictionary<int, IActorRef> _agents = [];
    private readonly HashSet<int> _failed = [];
    private readonly Dictionary<int, WindowDone> _done = [];
    private readonly Dictionary<int, long> _sentCount = [];
    private readonly Dictionary<int, List<RoutedArrival>> _inbox = [];
    private readonly Dictionary<long, List<HostArrivals>> _remote = [];
    private AssignAgents? _assignment;
    private IActorRef _coordinatorNode = ActorRefs.Nobody;
    private HostRunWindow? _pending;
    private long _window = -1;
    private string? _childError;
    private bool _finished;
    private bool _aborted;   // a protocol error was reported; wait for RunFinished without running windows

    public AsyncHostActor(AsyncHostSettings settings)
    {
        _settings = settings;
        _link = new ChunkedLink(Context.System, settings.ChunkBytes);
        _assembler = new ChunkAssembler(Context.System);
        Receive<AssignAgents>(OnAssign);
        Receive<HostRunWindow>(m =>
        {
            _pending = m;
            TryRunWindow();
        });
        Receive<HostArrivals>(m =>
        {
            if (!_remote.TryGetValue(m.Window, out var list)) _remote[m.Window] = list = [];
            list.Add(m);
            TryRunWindow();
        });
        Receive<WindowDone>(OnAgentDone);
        Receive<WireChunk>(c =>
        {
            var whole = _assembler.Add(c, Sender);
            if (whole is not null) Self.Tell(whole, Sender);
        });
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

    public static Props Props(AsyncHostSettings settings) => Akka.Actor.Props.Create(() => new AsyncHostActor(settings));

    // An agent that throws is stopped (its state would be lost by a restart); OnTerminated reports it.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _childError ??= $"{e.GetType().Name}: {e.Message}";
        return Directive.Stop;
    });

    private int HostIndex => _assignment!.HostIndex;

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
            foreach (int i in m.AgentIds)
            {
                // The agent reports to this host (its "coordinator"), which batches the whole host's window.
                var agent = Context.ActorOf(AsyncAgentActor.Props(i, obs => _settings.CreateAgent(i, obs), Self, _settings.Dispatcher), $"agent-{i}");
                Context.Watch(agent);
                _agents[i] = agent;
                _sentCount[i] = 0;
                _inbox[i] = [];
            }
        }
        Sender.Tell(new AgentsRegistered(m.HostIndex, m.AgentIds, m.AgentIds.Select(i => _agents[i]).ToArray()));
    }

    private void TryRunWindow()
    {
        if (_finished || _aborted || _pending is not { } run || _assignment is null) return;
        if (run.Window != _window + 1)
        {
            Abort($"got window {run.Window} while window {_window} is running");
            return;
        }
        if (run.Window == 0)
        {
            (_window, _pending) = (0, null);
            foreach (var agent in _agents.Values) agent.Tell(new StartAsync());
            return;
        }
        // Every other host sends exactly one HostArrivals per window (in order, so none of a later window overtakes it).
        int others = _assignment.Hosts.Length - 1;
        var incoming = _remote.GetValueOrDefault(run.Window - 1);
        if ((incoming?.Count ?? 0) < others) return;
        _remote.Remove(run.Window - 1);
        foreach (var batch in incoming ?? [])
            foreach (var bundle in batch.Bundles)
                foreach (var target in bundle.Targets)
                {
                    if (!_inbox.TryGetValue(target.To, out var list))
                    {
                        Abort($"got a payload for agent {target.To}, which it does not hold");
                        return;
                    }
                    list.Add(new RoutedArrival(target.Time, bundle.From, target.Sequence, bundle.Payload));
                }
        (_window, _pending) = (run.Window, null);
        // Arrivals are ordered by their (time, sender, sequence) key in the agent's queue, so list order does not matter.
        foreach (var (id, agent) in _agents)
        {
            agent.Tell(new RunWindow(run.End, _inbox[id].ToArray()));
            _inbox[id].Clear();
        }
    }

    private void OnAgentDone(WindowDone m)
    {
        if (_finished || _aborted || !_agents.ContainsKey(m.AgentId)) return;
        _done[m.AgentId] = m;
        if (_done.Count < _agents.Count) return;

        var hosts = _assignment!.Hosts.Length;
        var bundles = Enumerable.Range(0, hosts).Select(_ => new List<(int From, Core.Algorithms.Payload Payload, List<ArrivalTarget> Targets)>()).ToArray();
        var reports = new AgentWindowReport[_agents.Count];
        double earliest = double.PositiveInfinity;
        int k = 0;
        foreach (int id in _agents.Keys)
        {
            var r = _done[id];
            foreach (var o in r.Sent)
            {
                long sequence = _sentCount[o.From]++;
                earliest = Math.Min(earliest, o.ArrivalTime);
                int h = _assignment.HostOfAgent[o.To];
                if (h == HostIndex)
                {
                    _inbox[o.To].Add(new RoutedArrival(o.ArrivalTime, o.From, sequence, o.Payload));
                    continue;
                }
                // One copy per destination host: equal payloads of the same sender (e.g. the parameter snapshot sent
                // to every neighbour) are grouped with their targets.
                var list = bundles[h];
                int b = list.FindIndex(e => e.From == o.From && e.Payload.Equals(o.Payload));
                if (b < 0) list.Add((o.From, o.Payload, [new ArrivalTarget(o.To, o.ArrivalTime, sequence)]));
                else list[b].Targets.Add(new ArrivalTarget(o.To, o.ArrivalTime, sequence));
            }
            reports[k++] = new AgentWindowReport(id, r.Observations as AsyncObservation[] ?? r.Observations.ToArray(), r.NextEventTime, r.BytesSent, r.BytesByKind);
        }
        _done.Clear();
        for (int h = 0; h < hosts; h++)
        {
            if (h == HostIndex) continue;
            var batch = bundles[h].Select(e => new ArrivalBundle(e.From, e.Payload, e.Targets.ToArray())).ToArray();
            _link.Send(_assignment.Hosts[h], new HostArrivals(_window, HostIndex, batch), Self);
        }
        Relay(new HostWindowDone(HostIndex, _window, reports, earliest));
    }

    private void Relay(object message) => _link.Send(_coordinatorNode, message, Self);

    /// <summary>A protocol error: the coordinator ends the run (and this host stops running windows).</summary>
    private void Abort(string what)
    {
        _pending = null;
        _aborted = true;
        Relay(new AbortRun($"host {_assignment?.HostIndex} {what}"));
    }

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
