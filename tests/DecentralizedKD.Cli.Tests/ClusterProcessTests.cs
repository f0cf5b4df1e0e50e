using System.Diagnostics;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// Real processes, as <c>./run.sh cluster 2</c> starts them (the built dkd next to this test, no rebuild): one
/// coordinator and two workers on loopback give the same metrics.csv as <c>dkd run</c> (every column but wall_s).
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ClusterProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-cluster-").FullName;
    private readonly ChildProcesses _processes = new();

    public void Dispose()
    {
        _processes.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>Runs <paramref name="config"/> on a coordinator and two worker processes until all three exit (bounded).</summary>
    private async Task<(ChildProcess Coordinator, ChildProcess[] Workers)> RunCluster(string config)
    {
        int port = LoopbackPort.Free();
        string seed = $"akka.tcp://dkd@127.0.0.1:{port}";
        var clock = Stopwatch.StartNew();
        var coordinator = _processes.Dkd("coordinator", "host", "--role", "coordinator", "--config", config, "--port", port.ToString(), "--workers", "2",
            "--out", Path.Combine(_dir, "cluster"));
        var workers = Enumerable.Range(0, 2)
            .Select(k => _processes.Dkd($"worker {k}", "host", "--role", "worker", "--config", config, "--seed-node", seed, "--workers", "2")).ToArray();
        // A hang guard only: alone on 2 cores the three processes finish in well under 30 s.
        await _processes.WaitForAll(150);
        output.WriteLine($"processes done in {clock.Elapsed.TotalSeconds:F1}s");
        output.WriteLine(coordinator.Stderr);
        return (coordinator, workers);
    }

    [Fact]
    public Task Coordinator_and_two_worker_processes_reproduce_the_single_process_run() => _processes.Explain(async () =>
    {
        string config = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny-cluster", agents = 4, rounds = 6, eval-every = 3, threads = 1
              dataset { name = synthetic, synthetic { train-size = 2000, test-size = 300, shape = [1, 8, 8] } }
              partition { alpha = 0.5 }
              model { name = mlp, hidden = [32] }
            }
            """);
        var single = new StringWriter();
        Assert.Equal(0, Cli.Dkd.Run(["run", config, "--out", Path.Combine(_dir, "single")], single, new StringWriter()));

        var (coordinator, workers) = await RunCluster(config);

        Assert.Equal(0, coordinator.ExitCode);
        Assert.All(workers, w => Assert.Equal(0, w.ExitCode));
        Assert.All(workers, w => Assert.DoesNotContain("ERR", w.Stderr));
        string last = coordinator.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("results: ", last);
        string clusterDir = last["results: ".Length..];
        string singleDir = single.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..];
        Assert.Equal(DeterministicLines(Path.Combine(singleDir, "metrics.csv")), DeterministicLines(Path.Combine(clusterDir, "metrics.csv")));
        // Ring of 4 in blocks {0,1} {2,3}: each worker receives 2 parameter vectors (MLP 64-32-10: 2,410 floats, plus
        // 34 header bytes) per round.
        var hosts = File.ReadAllLines(Path.Combine(clusterDir, "hosts.csv"));
        Assert.Equal(3, hosts.Length);
        Assert.All(hosts.Skip(1), h => Assert.EndsWith($",{2 * (4 * 2410 + 34)}", h));
    });

    [Fact]
    public Task Async_mode_on_a_coordinator_and_two_worker_processes_reproduces_metrics_and_events_of_the_single_process_run() => _processes.Explain(async () =>
    {
        string config = Path.Combine(_dir, "tiny-async.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny-async-cluster", mode = async, agents = 4, rounds = 6, eval-every = 3, threads = 1
              dataset { name = synthetic, synthetic { train-size = 2000, test-size = 300, shape = [1, 8, 8] } }
              partition { alpha = 0.5 }
              model { name = mlp, hidden = [32] }
              network.latency { dist = lognormal, median = 10ms, sigma = 0.8 }
              network.drop = 0.1
              compute.step-time = 20ms
              compute.stragglers { fraction = 0.25, slowdown = 3 }
              churn { kind = bernoulli, p-offline = 0.2, period = 40ms }
            }
            """);
        var single = new StringWriter();
        Assert.Equal(0, Cli.Dkd.Run(["run", config, "--out", Path.Combine(_dir, "single")], single, new StringWriter()));

        var (coordinator, workers) = await RunCluster(config);

        Assert.Equal(0, coordinator.ExitCode);
        Assert.All(workers, w => Assert.Equal(0, w.ExitCode));
        Assert.All(workers, w => Assert.DoesNotContain("ERR", w.Stderr));
        string last = coordinator.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("results: ", last);
        string clusterDir = last["results: ".Length..];
        string singleDir = single.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..];
        Assert.Equal(DeterministicLines(Path.Combine(singleDir, "metrics.csv")), DeterministicLines(Path.Combine(clusterDir, "metrics.csv")));
        var events = File.ReadAllLines(Path.Combine(clusterDir, "events.jsonl"));
        Assert.Equal(File.ReadAllLines(Path.Combine(singleDir, "events.jsonl")), events);
        Assert.Contains(events, e => e.Contains("\"event\":\"drop\""));
        Assert.Contains(events, e => e.Contains("\"event\":\"offline\""));
        // Payloads crossed between the workers (host to host, never through the coordinator).
        Assert.All(File.ReadAllLines(Path.Combine(clusterDir, "hosts.csv")).Skip(1), h => Assert.NotEqual("0", h.Split(',')[5]));
    });
}
