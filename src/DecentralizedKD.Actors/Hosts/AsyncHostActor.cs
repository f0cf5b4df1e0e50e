using DecentralizedKD.Core.Training;
using Akka.Actor;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// The worker role's actor (at /user/host) in asynchronous mode. It creates an <see cref="AsyncAgentActor"/> per agent
/// placed here and runs the agents the coordinator node lists for a window (<see cref="HostRunWindow"/>), each to its
/// own horizon; the others are left alone. When the listed agents are done it (1) numbers their sent payloads per
/// sender, keeps those for local agents and sends each other host that has a target ONE <see cref="HostArrivals"/>
/// with each payload once (targets listed), and (2) reports the agents' observations, next events, send bounds and the
/// earliest arrival per destination agent to the coordinator node. Arrivals from other hosts are filed with their
/// target agents as they come; a window starts once the coordinator says so AND the running total of arrival batches
/// of earlier windows it names has come in, so each agent sees exactly the arrivals the single-process driver would
/// give it (an arrival filed early lies at or after its agent's horizon, so it waits in the queue).
/// </summary>
public sealed class AsyncHostActor : HostActorBase
{
    private readonly Func<int, IAsyncObserver, AsyncAgent> _createAgent;
    private readonly Dictionary<int, WindowDone> _done = [];
    private readonly Dictionary<int, long> _sentCount = [];
    private readonly Dictionary<int, List<RoutedArrival>> _inbox = [];
    private HostRunWindow? _pending;
    private long _window = -1;
    // Arrival batches by the window that sent them: a window's start counts only batches of earlier windows (a batch of
    // the current window from a faster host may arrive first; Akka orders messages per sender only).
    private long _batchesBefore;
    private readonly SortedDictionary<long, int> _batchesOfLaterWindows = [];
    private int _expected;
    private bool _aborted;   // a protocol error was reported; wait for RunFinished without running windows

    /// <param name="createAgent">Builds agent i reporting into the observer its actor hands it.</param>
    public AsyncHostActor(Func<int, IAsyncObserver, AsyncAgent> createAgent, HostSettings settings) : base(settings)
    {
        _createAgent = createAgent;
        Receive<HostRunWindow>(m =>
        {
            if (!FromCoordinator(m)) return;
            _pending = m;
            TryRunWindow();
        });
        Receive<HostArrivals>(OnArrivals);
        Receive<WindowDone>(OnAgentDone);
    }

    public static Props Props(Func<int, IAsyncObserver, AsyncAgent> createAgent, HostSettings settings) =>
        Akka.Actor.Props.Create(() => new AsyncHostActor(createAgent, settings));

    private int HostIndex => Assignment!.HostIndex;

    protected override void CreateAgents(AssignAgents m)
    {
        foreach (int i in m.AgentIds)
        {
            // The agent reports to this host (its "coordinator"), which batches the whole host's window.
            StartAgent(i, AsyncAgentActor.Props(i, obs => _createAgent(i, obs), Self, Settings.Dispatcher));
            _sentCount[i] = 0;
            _inbox[i] = [];
        }
    }

    // Arrivals are ordered by their (time, sender, sequence) key in the agent's queue, so filing order does not matter,
    // and an arrival filed early (from a window the agent has not reached) is at or after the agent's horizon.
    private void OnArrivals(HostArrivals m)
    {
        if (Finished || _aborted || Assignment is null || !Owners.IsHost(Sender, m.FromHost, m)) return;
        // A batch that speaks for another host's agent is dropped whole: it is not a batch the coordinator planned, and
        // counting it would start a window before the real one arrived.
        foreach (var bundle in m.Bundles)
            if (!Owners.SpeaksFor(Sender, bundle.From, m)) return;
        foreach (var bundle in m.Bundles)
        foreach (var target in bundle.Targets)
        {
            if (!_inbox.TryGetValue(target.To, out var list))
            {
                Abort($"got a payload for agent {target.To}, which it does not hold");
                return;
            }
            list.Add(new RoutedArrival(target.Time, bundle.From, target.Sequence, bundle.Payload));
        }
        _batchesOfLaterWindows[m.Window] = _batchesOfLaterWindows.GetValueOrDefault(m.Window) + 1;
        TryRunWindow();
    }

    private void TryRunWindow()
    {
        if (Finished || _aborted || _pending is not { } run || Assignment is null) return;
        if (run.Window <= _window || _expected > 0)
        {
            Abort($"got window {run.Window} while window {_window} is running");
            return;
        }
        if (run.Window == 0)
        {
            (_window, _pending) = (0, null);
            _expected = Agents.Count;
            foreach (var agent in Agents.Values) agent.Tell(new StartAsync());
            return;
        }
        foreach (long w in _batchesOfLaterWindows.Keys.TakeWhile(w => w < run.Window).ToArray())
        {
            _batchesBefore += _batchesOfLaterWindows[w];
            _batchesOfLaterWindows.Remove(w);
        }
        if (_batchesBefore < run.ArrivalBatches) return;
        (_window, _pending) = (run.Window, null);
        _expected = run.Agents.Length;
        foreach (var (id, end) in run.Agents)
        {
            if (!Agents.TryGetValue(id, out var agent))
            {
                Abort($"was asked to run agent {id}, which it does not hold");
                return;
            }
            agent.Tell(new RunWindow(end, _inbox[id].ToArray()));
            _inbox[id].Clear();
        }
    }

    private void OnAgentDone(WindowDone m)
    {
        if (Finished || _aborted || !Agents.ContainsKey(m.AgentId)) return;
        _done[m.AgentId] = m;
        if (_done.Count < _expected) return;
        _expected = 0;

        var hosts = Assignment!.Hosts.Length;
        var bundles = new List<(int From, Core.Wire.Payload Payload, List<ArrivalTarget> Targets)>?[hosts];
        var due = new Dictionary<int, double>();
        var reports = new AgentWindowReport[_done.Count];
        int k = 0;
        foreach (var (id, r) in _done.OrderBy(kv => kv.Key))
        {
            foreach (var o in r.Sent)
            {
                long sequence = _sentCount[o.From]++;
                due[o.To] = Math.Min(due.GetValueOrDefault(o.To, double.PositiveInfinity), o.ArrivalTime);
                int h = Assignment.HostOfAgent[o.To];
                if (h == HostIndex)
                {
                    _inbox[o.To].Add(new RoutedArrival(o.ArrivalTime, o.From, sequence, o.Payload));
                    continue;
                }
                // One copy per destination host: equal payloads of the same sender (e.g. the parameter snapshot sent
                // to every neighbour) are grouped with their targets.
                var list = bundles[h] ??= [];
                int b = list.FindIndex(e => e.From == o.From && e.Payload.Equals(o.Payload));
                if (b < 0) list.Add((o.From, o.Payload, [new ArrivalTarget(o.To, o.ArrivalTime, sequence)]));
                else list[b].Targets.Add(new ArrivalTarget(o.To, o.ArrivalTime, sequence));
            }
            reports[k++] = new AgentWindowReport(id, r.Observations as AsyncObservation[] ?? r.Observations.ToArray(), r.NextEventTime, r.BytesSent,
                r.BytesByKind, r.CompletedIterations, r.NextSend);
        }
        _done.Clear();
        var sentTo = new List<int>();
        for (int h = 0; h < hosts; h++)
        {
            if (bundles[h] is not { } list) continue;
            // Serialization happens later on the remoting thread, when the sender may have reused a pooled snapshot:
            // the bundle carries its own copy and the messages' holds end here.
            var batch = list.Select(e => new ArrivalBundle(e.From, e.Payload.Detached(), e.Targets.ToArray())).ToArray();
            foreach (var e in list)
                for (int t = 0; t < e.Targets.Count; t++) e.Payload.Release();
            Link.Send(Assignment.Hosts[h], new HostArrivals(_window, HostIndex, batch), Self);
            sentTo.Add(h);
        }
        Relay(new HostWindowDone(HostIndex, _window, reports, due.Select(kv => new ArrivalDue(kv.Key, kv.Value)).OrderBy(d => d.To).ToArray(), [.. sentTo]));
    }

    /// <summary>Arrivals filed for a window that never ran (the run ended first) let go of their payloads.</summary>
    protected override void PostStop()
    {
        foreach (var list in _inbox.Values)
            foreach (var a in list) a.Payload.Release();
        _inbox.Clear();
        base.PostStop();
    }

    /// <summary>A protocol error: the coordinator ends the run (and this host stops running windows).</summary>
    private void Abort(string what)
    {
        _pending = null;
        _aborted = true;
        Relay(new AbortRun($"host {Assignment?.HostIndex} {what}"));
    }
}
