using Akka.Actor;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>What the asynchronous cluster driver needs (built on the coordinator node).</summary>
public sealed record AsyncClusterDriverSettings(
    IActorRef[] Hosts,
    int Agents,
    double Lookahead,
    IAsyncObserver Sink,
    Action? OnFinished,
    Func<AsyncWindowResult, RunResult> ToResult,
    IDisposable? Resources);

/// <summary>
/// The coordinator of an asynchronous cluster run (child of the cluster run actor, which relays the hosts' reports and
/// aborts it when a host is lost). It is <see cref="AsyncCoordinatorActor"/> with hosts in place of agents: it opens
/// window 0, and after every host reported a window it replays the observations in agent order into the sink (metrics,
/// statistics, events.jsonl: the single-process order), then opens the next window at the earliest pending event —
/// an agent's next event or a payload's arrival — plus the lookahead. Payloads never pass through it.
/// </summary>
public sealed class AsyncClusterDriver : ReceiveActor
{
    private readonly AsyncClusterDriverSettings _s;
    private readonly TaskCompletionSource<RunResult> _done;
    private readonly HostWindowDone?[] _reports;
    private readonly AgentWindowReport?[] _byAgent;
    private readonly long[] _bytes;
    private readonly Dictionary<string, long>[] _bytesByKind;
    private int _reportCount;
    private long _window;
    private double _windowEnd;
    private bool _finished;

    public AsyncClusterDriver(AsyncClusterDriverSettings settings, TaskCompletionSource<RunResult> done)
    {
        _s = settings;
        _done = done;
        _reports = new HostWindowDone?[settings.Hosts.Length];
        _byAgent = new AgentWindowReport?[settings.Agents];
        _bytes = new long[settings.Agents];
        _bytesByKind = Enumerable.Range(0, settings.Agents).Select(_ => new Dictionary<string, long>()).ToArray();
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
        foreach (var h in _s.Hosts) h.Tell(new HostRunWindow(0, double.NaN));
    }

    protected override void PostStop() => _s.Resources?.Dispose();

    private string Where() => _window == 0 ? "while starting the agents" : $"in virtual-time window {_window} (ending {_windowEnd:G6}s)";

    private void OnHostDone(HostWindowDone m)
    {
        if (_finished) return;
        if (m.Window != _window || m.HostIndex < 0 || m.HostIndex >= _reports.Length || _reports[m.HostIndex] is not null)
        {
            Complete($"protocol error: host {m.HostIndex} reported window {m.Window} while window {_window} is running");
            return;
        }
        _reports[m.HostIndex] = m;
        if (++_reportCount < _reports.Length) return;
        _reportCount = 0;
        TorchThreads.EnsureSingleThreaded(); // the sink may evaluate the averaged model

        double next = double.PositiveInfinity;
        foreach (var r in _reports)
        {
            next = Math.Min(next, r!.EarliestArrival);
            foreach (var a in r.Agents) _byAgent[a.AgentId] = a;
        }
        Array.Clear(_reports);
        for (int i = 0; i < _byAgent.Length; i++)
        {
            if (_byAgent[i] is not { } a)
            {
                Complete($"protocol error: no report of agent {i} for window {_window}");
                return;
            }
            foreach (var o in a.Observations) o.ReplayTo(_s.Sink);
            next = Math.Min(next, a.NextEventTime);
            _bytes[i] = a.BytesSent;
            _bytesByKind[i] = new Dictionary<string, long>(a.BytesByKind);
        }
        Array.Clear(_byAgent);
        if (double.IsPositiveInfinity(next))
        {
            string? error = null;
            try { _s.OnFinished?.Invoke(); }
            catch (Exception e) { error = $"finishing the run failed: {e.GetType().Name}: {e.Message}"; }
            Complete(error);
            return;
        }
        _window++;
        _windowEnd = _s.Lookahead > 0 ? next + _s.Lookahead : Math.BitIncrement(next);
        foreach (var h in _s.Hosts) h.Tell(new HostRunWindow(_window, _windowEnd));
    }

    private void Complete(string? error)
    {
        if (_finished) return;
        _finished = true;
        RunResult result;
        try { result = _s.ToResult(new AsyncWindowResult(_bytes, ByteCounts.Merge(_bytesByKind), _window + 1, error)); }
        catch (Exception e) { result = new RunResult([], [], _bytes, new Dictionary<string, long>(), error ?? $"{e.GetType().Name}: {e.Message}"); }
        _done.TrySetResult(result);
    }
}
