using Akka.Actor;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>What the asynchronous cluster driver needs (built on the coordinator node).</summary>
public sealed record AsyncClusterDriverSettings(
    IActorRef[] Hosts,
    int[] HostOfAgent,
    IReadOnlyList<IReadOnlyList<int>> Neighbours,
    double Lookahead,
    IAsyncObserver Sink,
    Action? OnFinished,
    Func<AsyncWindowResult, RunResult> ToResult,
    IDisposable? Resources)
{
    public int Agents => HostOfAgent.Length;
}

/// <summary>
/// The coordinator of an asynchronous cluster run (child of the cluster run actor, which relays the hosts' reports and
/// aborts it when a host is lost). It is <see cref="AsyncCoordinatorActor"/> with hosts in place of agents: the same
/// <see cref="WindowPlanner"/> picks each window's agents and their horizons, only the hosts holding one of them are
/// messaged (with their agents and the number of arrival batches they must have), and the observations are replayed
/// through the same <see cref="ObservationBuffer"/> in the canonical order — so metrics, statistics and events.jsonl
/// equal the single-process run's. Payloads never pass through it: hosts report only the earliest arrival per agent.
/// </summary>
public sealed class AsyncClusterDriver : ReceiveActor
{
    private readonly AsyncClusterDriverSettings _s;
    private readonly TaskCompletionSource<RunResult> _done;
    private readonly WindowPlanner _planner;
    private readonly ObservationBuffer _observations;
    private readonly List<(int Agent, double End)> _active = [];
    private readonly List<AgentWindow>?[] _byHost;
    private readonly bool[] _addressed;
    private readonly long[] _batchesFor;
    private readonly List<HostWindowDone> _reports = [];
    private readonly long[] _bytes;
    private readonly IReadOnlyDictionary<string, long>[] _bytesByKind;
    private int _expected;
    private long _window;
    private bool _finished;

    public AsyncClusterDriver(AsyncClusterDriverSettings settings, TaskCompletionSource<RunResult> done)
    {
        _s = settings;
        _done = done;
        _planner = new WindowPlanner(settings.Agents, settings.Lookahead, settings.Neighbours);
        _observations = new ObservationBuffer(settings.Agents);
        _byHost = new List<AgentWindow>?[settings.Hosts.Length];
        _addressed = new bool[settings.Hosts.Length];
        _batchesFor = new long[settings.Hosts.Length];
        _bytes = new long[settings.Agents];
        _bytesByKind = Enumerable.Range(0, settings.Agents).Select(_ => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>()).ToArray();
        Receive<HostWindowDone>(OnHostDone);
        Receive<AgentFailed>(m => Complete($"agent {m.AgentId} failed: {m.Error}"));
        Receive<AbortRun>(m => Complete($"{m.Reason} {Where()}"));
    }

    public static Props Props(AsyncClusterDriverSettings settings, TaskCompletionSource<RunResult> done, string? dispatcher)
    {
        var props = Akka.Actor.Props.Create(() => new AsyncClusterDriver(settings, done));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    protected override void PreStart()
    {
        // Window 0 starts every agent on every host; afterwards only hosts with an active agent hear from us.
        Array.Fill(_addressed, true);
        _expected = _s.Hosts.Length;
        foreach (var h in _s.Hosts) h.Tell(new HostRunWindow(0, [], 0));
    }

    protected override void PostStop() => _s.Resources?.Dispose();

    private string Where() => _window == 0 ? "while starting the agents" : $"in virtual-time window {_window}";

    private void OnHostDone(HostWindowDone m)
    {
        if (_finished) return;
        if (m.Window != _window || m.HostIndex < 0 || m.HostIndex >= _addressed.Length || !_addressed[m.HostIndex])
        {
            Complete($"protocol error: host {m.HostIndex} reported window {m.Window} while window {_window} is running");
            return;
        }
        _addressed[m.HostIndex] = false;
        _reports.Add(m);
        if (_reports.Count < _expected) return;
        TorchThreads.EnsureSingleThreaded(); // the sink may evaluate the averaged model

        foreach (var r in _reports.OrderBy(r => r.HostIndex))
        {
            foreach (var a in r.Agents)
            {
                if (a.AgentId < 0 || a.AgentId >= _s.Agents || _s.HostOfAgent[a.AgentId] != r.HostIndex)
                {
                    Complete($"protocol error: host {r.HostIndex} reported agent {a.AgentId}, which it does not hold");
                    return;
                }
                _observations.Add(a.AgentId, a.Observations);
                _planner.Update(a.AgentId, a.NextEventTime, a.NextSend, a.CompletedIterations);
                _bytes[a.AgentId] = a.BytesSent;
                _bytesByKind[a.AgentId] = a.BytesByKind;
            }
        }
        foreach (var r in _reports)
        {
            foreach (var d in r.Due) _planner.ArrivalDue(d.To, d.Time);
            foreach (int h in r.SentTo) _batchesFor[h]++;
        }
        _reports.Clear();
        _observations.ReplayBefore(_planner.NextEventTime, _s.Sink);
        if (!_planner.TryPlan(_active))
        {
            string? error = null;
            try { _s.OnFinished?.Invoke(); }
            catch (Exception e) { error = $"finishing the run failed: {e.GetType().Name}: {e.Message}"; }
            Complete(error);
            return;
        }
        _window++;
        foreach (var (agent, end) in _active) (_byHost[_s.HostOfAgent[agent]] ??= []).Add(new AgentWindow(agent, end));
        _expected = 0;
        for (int h = 0; h < _byHost.Length; h++)
        {
            if (_byHost[h] is not { } agents) continue;
            _s.Hosts[h].Tell(new HostRunWindow(_window, [.. agents], _batchesFor[h]));
            _byHost[h] = null;
            _addressed[h] = true;
            _expected++;
        }
    }

    private void Complete(string? error)
    {
        if (_finished) return;
        _finished = true;
        RunResult result;
        try
        {
            result = _s.ToResult(new AsyncWindowResult(_bytes, ByteCounts.Merge(_bytesByKind), _planner.Windows, error)
                { ActiveAgentWindows = _planner.ActiveAgentWindows });
        }
        catch (Exception e) { result = new RunResult([], [], _bytes, new Dictionary<string, long>(), error ?? $"{e.GetType().Name}: {e.Message}"); }
        _done.TrySetResult(result);
    }
}
