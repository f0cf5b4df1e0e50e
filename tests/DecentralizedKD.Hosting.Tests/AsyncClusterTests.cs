using System.Diagnostics;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Wire;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Asynchronous mode on a real cluster of three ActorSystems in this process (coordinator + 2 workers on 127.0.0.1,
/// port 0): metrics.csv and events.jsonl bit-identical to the single-process run, payloads exchanged host to host
/// (one copy per destination host, none through the coordinator), and a lost worker ends the run with an error naming it.
/// </summary>
[Collection("engine")]
public sealed class AsyncClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-async-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // 5 agents over 2 workers in blocks {0,1,2} and {3,4}; full graph so each payload has several targets per host.
    // MLP [100] (318 KB of parameters): payload batches and evaluation snapshots exceed the 256 KB chunk and travel chunked.
    private static readonly string[] Messy =
        ["mode=async", "agents=5", "rounds=6", "eval-every=2", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp",
         "model.hidden=[100]", "topology.kind=full", "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB",
         "network.latency.dist=lognormal", "network.latency.median=15ms", "network.latency.sigma=0.8", "network.drop=0.1",
         "compute.stragglers.fraction=0.4", "compute.stragglers.slowdown=3", "network.max-staleness=1", "network.wait-timeout=60ms",
         "churn.kind=bernoulli", "churn.p-offline=0.2", "churn.period=50ms"];

    /// <summary>Cross-host deliveries, to size the payload traffic analytically.</summary>
    private sealed class Deliveries : IAsyncObserver
    {
        public readonly List<(int From, int To, int Round, long Bytes)> All = [];
        public volatile int Combines;
        public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) { }
        public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) => All.Add((from, to, round, bytes));
        public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) => Combines++;
    }

    private static async Task<ClusterRunResult> RunCluster(LoadedExperiment loaded, HostProcess setup, IAsyncObserver events,
        Func<InProcessCluster, Task>? during = null)
    {
        await using var cluster = InProcessCluster.Start(loaded, setup, events: events);
        if (during is not null) await during(cluster);
        var result = await cluster.Result(120);
        if (during is null)
        {
            // Payloads go host to host: the coordinator node never receives one.
            var received = WireStats.For(cluster.Coordinator.System).Received;
            Assert.False(received.ContainsKey("ha"), "a payload batch reached the coordinator node");
        }
        return result;
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Async_run_on_three_actor_systems_gives_the_single_process_metrics_and_events_bit_for_bit()
    {
        var loaded = ExperimentConfigLoader.Load(null, Messy);
        var setup = HostProcess.Build(loaded.Config);
        string singleEvents = Path.Combine(_dir, "single.jsonl"), clusterEvents = Path.Combine(_dir, "cluster.jsonl");
        RunResult single;
        using (var events = new EventsJsonl(singleEvents)) single = LocalRun.Run(setup, asyncObserver: events);
        Assert.Null(single.Error);

        var deliveries = new Deliveries();
        ClusterRunResult cluster;
        using (var events = new EventsJsonl(clusterEvents)) cluster = await RunCluster(loaded, setup, new ObserverFanOut(events, deliveries));
        Assert.Null(cluster.Run.Error);

        Assert.Equal(3, single.Metrics.Count);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Run.Metrics));
        string[] expectedEvents = File.ReadAllLines(singleEvents), actualEvents = File.ReadAllLines(clusterEvents);
        Assert.Equal(expectedEvents, actualEvents);
        Assert.Contains(actualEvents, l => l.Contains("\"event\":\"drop\""));
        Assert.Contains(actualEvents, l => l.Contains("\"event\":\"offline\""));
        Assert.Contains(actualEvents, l => l.Contains("\"event\":\"lost\""));
        Assert.Equal(single.FinalAgentAccuracies, cluster.Run.FinalAgentAccuracies);
        Assert.Equal(single.BytesPerAgent, cluster.Run.BytesPerAgent);
        Assert.Equal(single.BytesByKind, cluster.Run.BytesByKind);
        Assert.Equal(single.Async!.Delivered, cluster.Run.Async!.Delivered);
        Assert.Equal(single.Async.Staleness, cluster.Run.Async.Staleness);
        Assert.Equal([[0, 1, 2], [3, 4]], cluster.Hosts.Select(h => h.Agents));
        // Honest hosts, chunked batches between them: no message is dropped as speaking for another host's agent.
        Assert.Empty(cluster.Dropped);
        Assert.All(cluster.Hosts, h => Assert.Equal(0, h.Wire!.Dropped));
        // The same windows: the coordinator node plans them exactly as the single-process coordinator does.
        Assert.Equal(single.Windows, cluster.Run.Windows);

        // Each payload crosses to a host once, whatever the number of its targets there: a worker receives the bytes of
        // the distinct (sender, iteration) payloads delivered to its agents from the other host, plus headers.
        int[] hostOf = [0, 0, 0, 1, 1];
        foreach (int host in new[] { 0, 1 })
        {
            var remote = deliveries.All.Where(d => hostOf[d.To] == host && hostOf[d.From] != host).ToList();
            long distinct = remote.DistinctBy(d => (d.From, d.Round)).Sum(d => d.Bytes);
            var received = cluster.Hosts[host].Wire!.Received;
            long payloadBytes = received.GetValueOrDefault("ha") + received.GetValueOrDefault("ch");
            output.WriteLine($"host {host}: {remote.Count} cross-host deliveries ({remote.Sum(d => d.Bytes):N0} B without dedup); " +
                $"received {payloadBytes:N0} payload wire bytes; distinct payloads {distinct:N0} B");
            Assert.InRange(payloadBytes, distinct, distinct + distinct / 20 + 64 * 1024);
            Assert.True(payloadBytes < remote.Sum(d => d.Bytes), "payloads were not deduplicated per destination host");
        }
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task A_worker_lost_mid_async_run_ends_the_run_naming_the_host()
    {
        var loaded = ExperimentConfigLoader.Load(null,
            ["mode=async", "agents=5", "rounds=100000", "eval-every=0", "dataset.test-samples=100", "model.name=mlp", "model.hidden=[16]",
             "threads=1", "cluster.workers=2", "network.latency.dist=constant", "network.latency.value=10ms"]);
        var setup = HostProcess.Build(loaded.Config);
        var events = new Deliveries();
        // How long the failure detector took is logged, not asserted: a loaded machine may take longer; the wait for
        // the result is bounded.
        var clock = new Stopwatch();
        string lost = "";
        var cluster = await RunCluster(loaded, setup, events, async running =>
        {
            await Bounded.Until(() => events.Combines >= 50, "50 combines");
            lost = running.Workers[1].Address.ToString();
            clock.Start();
            await running.Workers[1].System.Terminate();
        });
        clock.Stop();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: {cluster.Run.Error}");
        Assert.NotNull(cluster.Run.Error);
        Assert.Contains(lost, cluster.Run.Error);
        Assert.Matches(@"in virtual-time window \d+", cluster.Run.Error);
    }

    [Fact]
    public void Realtime_mode_is_refused_on_a_cluster_with_a_one_line_error_before_any_networking()
    {
        var loaded = ExperimentConfigLoader.Load(null, ["mode=realtime", "agents=4", "dataset.test-samples=100", "cluster.workers=2"]);
        var setup = HostProcess.Build(loaded.Config);
        var e = Assert.Throws<Core.InputException>(() => InProcessCluster.StartCoordinator(loaded, setup));
        Assert.Equal("experiment.mode = realtime: cluster runs support mode = sync or async (run realtime with dkd run)", e.Message);
    }

    [Fact]
    public void Checkpoints_of_an_asynchronous_cluster_run_are_refused_before_any_networking()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"dkd-async-cluster-ckpt-{Guid.NewGuid():N}");
        var loaded = ExperimentConfigLoader.Load(null, ["mode=async", "agents=4", "dataset.test-samples=100", "cluster.workers=2", "checkpoint.every=2"]);
        var setup = HostProcess.Build(loaded.Config);
        var checkpoints = new Core.Checkpoint.RunCheckpoints(dir, loaded.Config, "hash");
        var e = Assert.Throws<Core.InputException>(() => InProcessCluster.StartCoordinator(loaded, setup, checkpoints: checkpoints));
        Assert.Equal("experiment.checkpoint.every: cluster runs checkpoint in mode = sync only; checkpoint an asynchronous run with dkd run", e.Message);
        Assert.False(Directory.Exists(dir));
    }
}
