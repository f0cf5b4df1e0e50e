using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>Asynchronous mode in virtual time on real Fashion-MNIST (small and fast).</summary>
[Collection("engine")]
public sealed class AsyncRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-async-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Small =
        ["agents=4", "rounds=20", "eval-every=10", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp", "model.hidden=[32]"];

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);

    private static string[] WithoutTimes(IEnumerable<MetricsRow> rows) =>
        rows.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })).ToArray();

    [Theory]
    [InlineData("dpsgd")]
    [InlineData("qgm")]
    [InlineData("choco")]
    [InlineData("sparse-dpsgd")]
    public void Lock_step_async_reproduces_the_synchronous_engine_exactly(string algorithm)
    {
        string[] lockStep = [$"algorithm.name={algorithm}", "network.latency.dist=constant", "network.latency.value=10ms",
            "network.max-staleness=0", "compute.step-time=20ms"];
        var sync = LocalRun.Run(Setup(lockStep));
        var asyncRun = LocalRun.Run(Setup([.. lockStep, "mode=async"]));
        Assert.Null(sync.Error);
        Assert.Equal(WithoutTimes(sync.Metrics), WithoutTimes(asyncRun.Metrics));
        for (int k = 0; k < sync.Metrics.Count; k++)
            Assert.Equal(sync.Metrics[k].VirtualTimeS, asyncRun.Metrics[k].VirtualTimeS, 1e-9);
        Assert.Equal(0, asyncRun.Async!.Staleness.Keys.Single());  // every combine used fresh payloads
        output.WriteLine(MetricsCsv.Format(asyncRun.Metrics[^1]));
    }

    /// <summary>Every observation's virtual time: the distinct instants an exact event-by-event run steps through.</summary>
    private sealed class Instants : IAsyncObserver
    {
        public HashSet<double> Times { get; } = [];
        public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) => Times.Add(time);
        public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) { Times.Add(sendTime); Times.Add(arrivalTime); }
        public void OnDropped(int from, int to, int round, double sendTime) => Times.Add(sendTime);
        public void OnLost(int from, int to, int round, double time) => Times.Add(time);
        public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) => Times.Add(time);
        public void OnChurn(int agent, double time, bool online) => Times.Add(time);
    }

    [Fact]
    public void Lognormal_latency_with_stragglers_needs_far_fewer_windows_than_event_instants_and_changes_nothing()
    {
        // Lognormal latency has no lower bound (lookahead 0): windows come from the agents' computations alone. Before,
        // every distinct instant was a window of its own (543 here; now 80, each with about half the agents).
        string[] sets = ["mode=async", "agents=8", "network.latency.dist=lognormal", "network.latency.median=10ms", "network.latency.sigma=0.8",
            "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=4", "network.max-staleness=2", "network.wait-timeout=40ms"];
        var instants = new Instants();
        var reference = new EventLog();
        var windowed = new EventLog();
        var run = LocalRun.Run(Setup(sets), asyncObserver: new ObserverFanOut(instants, windowed));
        var exact = AsyncRun.Run(Setup(sets), extra: reference);
        Assert.Null(run.Error);
        Assert.Equal(reference.Lines, windowed.Lines);
        Assert.Equal(Deterministic(exact.Metrics), Deterministic(run.Metrics));
        var w = run.Windows!;
        output.WriteLine($"{instants.Times.Count} event instants, {w.Windows} windows, {w.MeanActiveAgents:F2} of 8 agents per window");
        Assert.True(w.Windows * 5 < instants.Times.Count, $"{w.Windows} windows for {instants.Times.Count} instants");
        Assert.True(w.MeanActiveAgents < 8, "agents with nothing to do in a window are not in it");
    }

    [Fact]
    public void Agents_waiting_for_a_neighbour_that_is_offline_for_good_still_finish()
    {
        // Agent 1 is offline from the start for ~11.6 virtual days; its ring neighbours wait for it at every iteration
        // (max-staleness 0) until their wait times out. Nobody hangs: the run ends with every iteration accounted for.
        string churn = Path.Combine(_dir, "offline.txt");
        File.WriteAllText(churn, "1 0 1000000\n");
        var run = LocalRun.Run(Setup("mode=async", "rounds=6", "eval-every=3", "network.max-staleness=0", "network.wait-timeout=50ms",
            "churn.kind=schedule", $"churn.file={churn}"));
        Assert.Null(run.Error);
        Assert.Equal([3, 6], run.Metrics.Select(m => m.Round));
        Assert.True(run.Metrics[^1].VirtualTimeS >= 1_000_000, "agent 1 ran its iterations after it came back");
        Assert.True(run.Async!.TimedOutCombines >= 2 * 6, $"{run.Async.TimedOutCombines} timed-out combines");
        Assert.True(run.Windows!.Windows < 200, $"{run.Windows.Windows} windows");
    }

    [Fact]
    public void Same_seed_same_async_run_with_random_latency_drops_and_stragglers()
    {
        string[] messy = ["mode=async", "network.latency.dist=lognormal", "network.latency.median=15ms", "network.latency.sigma=0.8",
            "network.drop=0.1", "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=4"];
        var a = LocalRun.Run(Setup(messy));
        var b = LocalRun.Run(Setup(messy));
        Assert.Equal(Deterministic(a), Deterministic(b));
        Assert.True(a.Async!.Dropped > 0);
        Assert.Contains(a.Async.Staleness.Keys, s => s > 0);   // asynchrony really happened
        var c = LocalRun.Run(Setup([.. messy, "seed=3"]));
        Assert.NotEqual(a.Metrics[^1].MeanAcc, c.Metrics[^1].MeanAcc);
    }

    /// <summary>Every observation as one line, in the order the driver reported it.</summary>
    private sealed class EventLog : IAsyncObserver
    {
        public List<string> Lines { get; } = [];
        public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) =>
            Lines.Add($"eval {agent} {completed} {time:R} {accuracy:R} {lossSum:R} {iterations} {bytesSent} {parameters.Sum(v => (double)v):R}");
        public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) => Lines.Add($"deliver {from} {to} {round} {sendTime:R} {arrivalTime:R}");
        public void OnDropped(int from, int to, int round, double sendTime) => Lines.Add($"drop {from} {to} {round} {sendTime:R}");
        public void OnLost(int from, int to, int round, double time) => Lines.Add($"lost {from} {to} {round} {time:R}");
        public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) => Lines.Add($"combine {agent} {iteration} {time:R} {string.Join(',', staleness)} {timedOut}");
        public void OnChurn(int agent, double time, bool online) => Lines.Add($"churn {agent} {time:R} {online}");
    }

    [Fact]
    public void Parallel_windows_are_bit_identical_across_thread_counts_and_match_the_sequential_reference()
    {
        string[] messy = ["mode=async", "agents=6", "network.latency.dist=uniform", "network.latency.min=5ms", "network.latency.max=40ms",
            "network.drop=0.05", "compute.stragglers.fraction=0.34", "compute.stragglers.slowdown=3", "network.max-staleness=2",
            "churn.kind=bernoulli", "churn.p-offline=0.2", "churn.period=200ms"];
        var log1 = new EventLog();
        var log2 = new EventLog();
        var one = LocalRun.Run(Setup([.. messy, "threads=1"]), asyncObserver: log1);
        var two = LocalRun.Run(Setup([.. messy, "threads=2"]), asyncObserver: log2);
        var reference = new EventLog();
        var sequential = AsyncRun.Run(Setup(messy), extra: reference);
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        Assert.Equal(log1.Lines, log2.Lines);
        Assert.Equal(Deterministic(sequential.Metrics), Deterministic(one.Metrics));
        // Observations are replayed in the canonical (time, agent, emission) order, which is the exact event-by-event order.
        Assert.Equal(reference.Lines, log1.Lines);
        Assert.Contains(log1.Lines, l => l.StartsWith("churn "));
        Assert.Contains(log1.Lines, l => l.StartsWith("drop "));
        output.WriteLine($"{log1.Lines.Count} events; final {Deterministic(one.Metrics)[^1]}");
    }

    private sealed class Recorder : IAsyncObserver
    {
        public List<(int From, int To, double Send, double Arrive)> Delivered { get; } = [];
        public List<(int From, int To, double Time)> Lost { get; } = [];
        public List<(int Agent, double Time, bool Online)> Churn { get; } = [];
        public List<(int Agent, int Iteration, double Time, bool TimedOut)> Combines { get; } = [];
        public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) { }
        public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) => Delivered.Add((from, to, sendTime, arrivalTime));
        public void OnLost(int from, int to, int round, double time) => Lost.Add((from, to, time));
        public void OnChurn(int agent, double time, bool online) => Churn.Add((agent, time, online));
        public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) => Combines.Add((agent, iteration, time, timedOut));
    }

    [Fact]
    public void An_offline_agent_sends_and_receives_nothing_while_offline_and_resumes_afterwards()
    {
        string schedule = Path.Combine(_dir, "churn.txt");
        File.WriteAllText(schedule, "# agent from to (seconds)\n2 0.1 0.4\n");
        var recorder = new Recorder();
        var outcome = AsyncRun.Run(Setup("mode=async", "churn.kind=schedule", $"churn.file={schedule}"), extra: recorder);
        Assert.DoesNotContain(recorder.Delivered, d => d.From == 2 && d.Send >= 0.1 && d.Send < 0.4);
        Assert.Contains(recorder.Delivered, d => d.From == 2 && d.Send >= 0.4);          // resumed
        Assert.DoesNotContain(recorder.Combines, c => c.Agent == 2 && c.Time >= 0.1 && c.Time < 0.4);
        Assert.All(recorder.Lost, l => Assert.True(l.To == 2 && l.Time >= 0.1 && l.Time < 0.4));
        Assert.NotEmpty(recorder.Lost);
        Assert.Equal(new[] { (2, 0.1, false), (2, 0.4, true) }, recorder.Churn);
        Assert.Equal(20, outcome.Metrics[^1].Round);                                     // everyone finished its budget
        Assert.Equal(20, recorder.Combines.Count(c => c.Agent == 2));
    }

    [Fact]
    public void A_neighbour_ahead_has_negative_staleness_and_one_never_heard_from_is_marked_apart()
    {
        // Latency 30 ms > step 20 ms: the first combine comes before any payload arrived (never heard from). Stragglers
        // ×4: a slow agent combines with a fast neighbour's payload from a later iteration than its own (ahead).
        var a = LocalRun.Run(Setup("mode=async", "network.latency.value=30ms", "compute.step-time=20ms",
            "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=4"));
        var keys = a.Async!.Staleness.Keys.ToList();
        Assert.Contains(AsyncStats.NeverReceived, keys);
        Assert.Contains(keys, s => s < 0 && s != AsyncStats.NeverReceived);
        Assert.Contains(keys, s => s > 0);
        Assert.Equal(a.Async.Combines * 2, a.Async.Staleness.Values.Sum()); // ring: two neighbours per combine
    }

    [Fact]
    public void A_permanently_offline_neighbour_does_not_deadlock_bounded_staleness()
    {
        string schedule = Path.Combine(_dir, "gone.txt");
        File.WriteAllText(schedule, "1 0.05 1e9\n");
        var recorder = new Recorder();
        var outcome = AsyncRun.Run(Setup("mode=async", "network.max-staleness=0", "network.wait-timeout=50ms",
            "churn.kind=schedule", $"churn.file={schedule}"), extra: recorder);
        foreach (int agent in new[] { 0, 2, 3 }) Assert.Equal(20, recorder.Combines.Count(c => c.Agent == agent));
        // Agents 0 and 2 (agent 1's ring neighbours) time out after the documented wait instead of blocking forever.
        Assert.Contains(recorder.Combines, c => c.Agent == 0 && c.TimedOut);
        Assert.DoesNotContain(recorder.Combines, c => c.Agent == 3 && c.TimedOut);
        Assert.True(outcome.Async!.TimedOutCombines > 0);
        Assert.Equal(20, outcome.Metrics[^1].Round);
    }
}

[Collection("engine")]
public sealed class RealtimeRunTests
{
    [Fact]
    public void Realtime_mode_runs_the_same_agents_on_the_wall_clock_to_completion()
    {
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null,
            ["mode=realtime", "agents=4", "rounds=12", "eval-every=6", "dataset.test-samples=200", "model.name=mlp", "model.hidden=[16]",
             "compute.step-time=20ms", "network.latency.value=30ms"]).Config);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = LocalRun.Run(setup);
        watch.Stop();
        Assert.Null(result.Error);
        Assert.Equal(new[] { 6, 12 }, result.Metrics.Select(m => m.Round));
        // 12 iterations of 20 ms compute (no waiting with unbounded staleness) take at least 0.24 s of real time.
        Assert.True(watch.Elapsed.TotalSeconds >= 0.24, $"finished in {watch.Elapsed.TotalSeconds:F2}s: delays were not applied");
        // Times are read from the run's own wall clock, so none exceeds the time the whole run took.
        Assert.InRange(result.Metrics[^1].VirtualTimeS, 0.239, watch.Elapsed.TotalSeconds);
        // Every agent sent one parameter vector to each of its 2 ring neighbours per iteration.
        long perMessage = 4L * setup.Plan.ParameterCount;
        Assert.Equal(4 * 2 * 12 * perMessage, result.BytesPerAgent.Sum());
        Assert.Equal(4 * 2 * 12, result.Async!.Delivered);
    }
}
