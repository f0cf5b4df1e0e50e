using Akka.Actor;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// The worker role's actor (at /user/host) in asynchronous mode. It creates an <see cref="AsyncAgentActor"/> per agent
/// placed here and runs them one conservative time window at a time as the coordinator node says
/// (<see cref="HostRunWindow"/>). When all its agents are done with a window it (1) numbers their sent payloads per
/// sender, keeps those for local agents and sends every other host ONE <see cref="HostArrivals"/> with each payload once
/// (targets listed), and (2) reports the agents' observations and next-event times to the coordinator node. The next
/// window starts once the coordinator says so AND every other host's arrivals of this window are in, so each agent
/// sees exactly the arrivals the single-process driver would give it.
/// </summary>
public sealed class AsyncHostActor : HostActorBase
{
    private readonly Func<int, IAsyncObserver, AsyncAgent> _createAgent;
    private readonly Dictionary<int, WindowDone> _done = [];
    private readonly Dictionary<int, long> _sentCount = [];
    private readonly Dictionary<int, List<RoutedArrival>> _inbox = [];
    private readonly Dictionary<long, List<HostArrivals>> _remote = [];
    private HostRunWindow? _pending;
    private long _window = -1;
    private bool _aborted;   // a protocol error was reported; wait for RunFinished without running windows

    /// <param name="createAgent">Builds agent i reporting into the observer its actor hands it.</param>
    public AsyncHostActor(Func<int, IAsyncObserver, AsyncAgent> createAgent, HostSettings settings) : base(settings)
    {
        _createAgent = createAgent;
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

    private void TryRunWindow()
    {
        if (Finished || _aborted || _pending is not { } run || Assignment is null) return;
        if (run.Window != _window + 1)
        {
            Abort($"got window {run.Window} while window {_window} is running");
            return;
        }
        if (run.Window == 0)
        {
            (_window, _pending) = (0, null);
            foreach (var agent in Agents.Values) agent.Tell(new StartAsync());
            return;
        }
        // Every other host sends exactly one HostArrivals per window (in order, so none of a later window overtakes it).
        int others = Assignment.Hosts.Length - 1;
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
        foreach (var (id, agent) in Agents)
        {
            agent.Tell(new RunWindow(run.End, _inbox[id].ToArray()));
            _inbox[id].Clear();
        }
    }

    private void OnAgentDone(WindowDone m)
    {
        if (Finished || _aborted || !Agents.ContainsKey(m.AgentId)) return;
        _done[m.AgentId] = m;
        if (_done.Count < Agents.Count) return;

        var hosts = Assignment!.Hosts.Length;
        var bundles = Enumerable.Range(0, hosts).Select(_ => new List<(int From, Core.Algorithms.Payload Payload, List<ArrivalTarget> Targets)>()).ToArray();
        var reports = new AgentWindowReport[Agents.Count];
        double earliest = double.PositiveInfinity;
        int k = 0;
        foreach (int id in Agents.Keys)
        {
            var r = _done[id];
            foreach (var o in r.Sent)
            {
                long sequence = _sentCount[o.From]++;
                earliest = Math.Min(earliest, o.ArrivalTime);
                int h = Assignment.HostOfAgent[o.To];
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
            Link.Send(Assignment.Hosts[h], new HostArrivals(_window, HostIndex, batch), Self);
        }
        Relay(new HostWindowDone(HostIndex, _window, reports, earliest));
    }

    /// <summary>A protocol error: the coordinator ends the run (and this host stops running windows).</summary>
    private void Abort(string what)
    {
        _pending = null;
        _aborted = true;
        Relay(new AbortRun($"host {Assignment?.HostIndex} {what}"));
    }
}
