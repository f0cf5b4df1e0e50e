using System.Diagnostics;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// A cluster run of real processes with checkpoints (coordinator + 2 workers on loopback, no file shared with the
/// workers): a worker killed with SIGKILL mid-run makes the coordinator exit once the failure detector notices, with
/// an error naming the host and round and the checkpoint it leaves; <c>dkd resume</c> in one process then ends with
/// the metrics.csv of an uninterrupted <c>dkd run</c> (every column but wall_s).
/// </summary>
[Collection("engine")]
public sealed class ClusterCheckpointProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-cluster-ckpt-").FullName;
    private readonly ChildProcesses _processes = new();

    public void Dispose()
    {
        _processes.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>The newest committed checkpoint round of any run under <paramref name="root"/> (0 before the first).</summary>
    private static int ManifestRound(string root) =>
        Directory.Exists(root) ? Directory.GetDirectories(root).Select(ResumeCli.ManifestRound).DefaultIfEmpty(0).Max() : 0;

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public Task A_killed_worker_stops_the_run_leaving_a_checkpoint_that_dkd_resume_finishes_like_an_uninterrupted_run() => _processes.Explain(async () =>
    {
        string config = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny-cluster-ckpt", agents = 4, rounds = 300, eval-every = 50, threads = 1
              checkpoint.every = 5
              dataset { name = synthetic, synthetic { train-size = 800, test-size = 200, shape = [1, 8, 8] } }
              partition.kind = iid
              model { name = mlp, hidden = [16] }
              cluster.heartbeat-pause = 3s
            }
            """);
        var single = new StringWriter();
        Assert.Equal(0, Cli.Dkd.Run(["run", config, "--out", Path.Combine(_dir, "single")], single, new StringWriter()));
        string singleDir = single.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..];

        int port = LoopbackPort.Free();
        string seed = $"akka.tcp://dkd@127.0.0.1:{port}";
        string clusterRoot = Path.Combine(_dir, "cluster");
        var coordinator = _processes.Dkd("coordinator", "host", "--role", "coordinator", "--config", config, "--port", port.ToString(), "--workers", "2",
            "--out", clusterRoot);
        var workers = Enumerable.Range(0, 2)
            .Select(k => _processes.Dkd($"worker {k}", "host", "--role", "worker", "--config", config, "--seed-node", seed, "--workers", "2")).ToArray();

        // Kill worker 1's process (no shutdown, no leaving: a crash) once a checkpoint is committed.
        await Bounded.Until(() => ManifestRound(clusterRoot) >= 5 || coordinator.HasExited, "the cluster run's first checkpoint", 120);
        Assert.False(coordinator.HasExited, "the run ended before a worker could be killed");
        workers[1].Kill();
        var killed = Stopwatch.StartNew();
        // heartbeat-pause 3s: the crash is noticed within seconds. The time is logged, not asserted (a loaded machine
        // may take longer); the bound is a hang guard.
        await coordinator.WaitForExit(90);
        output.WriteLine($"coordinator exited {killed.Elapsed.TotalSeconds:F1}s after the kill (code {coordinator.ExitCode})");
        output.WriteLine(coordinator.Stderr);

        Assert.Equal(1, coordinator.ExitCode);
        string clusterDir = coordinator.Stdout.TrimEnd().Split('\n')[^1]["results: ".Length..];
        int committed = ManifestRound(clusterRoot);
        Assert.InRange(committed, 5, 295);
        string summary = File.ReadAllText(Path.Combine(clusterDir, "summary.md"));
        Assert.Matches(@"worker host akka\.tcp://dkd@127\.0\.0\.1:\d+ \(worker \d, agents \d-\d\) (became unreachable|stopped|left the cluster|was removed from the cluster) in round \d+", summary);
        Assert.Contains($"the checkpoint after round {committed} remains: resume with dkd resume {clusterDir}", summary);
        await workers[1].WaitForExit(60);
        await workers[0].WaitForExit(60);

        // A copy of the interrupted run, resumed on a new cluster below.
        string copy = Path.Combine(_dir, "copy", Path.GetFileName(clusterDir));
        foreach (string d in Directory.GetDirectories(clusterDir, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(clusterDir, copy));
        foreach (string f in Directory.GetFiles(clusterDir, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(clusterDir, copy));

        // Resumed in one process: the uninterrupted run's metrics.
        var resumed = new StringWriter();
        var resumeErr = new StringWriter();
        Assert.True(Cli.Dkd.Run(["resume", clusterDir], resumed, resumeErr) == 0, resumeErr.ToString());
        Assert.Equal(DeterministicLines(Path.Combine(singleDir, "metrics.csv")), DeterministicLines(Path.Combine(clusterDir, "metrics.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(singleDir, "agents.csv")), File.ReadAllText(Path.Combine(clusterDir, "agents.csv")));
        Assert.Equal(300, ManifestRound(clusterRoot));

        // Resumed on a new cluster (dkd host --role coordinator --resume RUN; workers load RUN/config.conf): the same.
        port = LoopbackPort.Free();
        seed = $"akka.tcp://dkd@127.0.0.1:{port}";
        var again = _processes.Dkd("resumed coordinator", "host", "--role", "coordinator", "--resume", copy, "--port", port.ToString(), "--workers", "2");
        var againWorkers = Enumerable.Range(0, 2)
            .Select(k => _processes.Dkd($"resumed worker {k}", "host", "--role", "worker", "--config", Path.Combine(copy, "config.conf"), "--seed-node", seed,
                "--workers", "2")).ToArray();
        await Task.WhenAll(againWorkers.Append(again).Select(p => p.WaitForExit(150)));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.All(againWorkers, w => Assert.Equal(0, w.ExitCode));
        Assert.Equal($"results: {copy}", again.Stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal(DeterministicLines(Path.Combine(singleDir, "metrics.csv")), DeterministicLines(Path.Combine(copy, "metrics.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(singleDir, "agents.csv")), File.ReadAllText(Path.Combine(copy, "agents.csv")));
    });

    [Theory]
    [InlineData("--role worker --resume {run}", "dkd host: --resume is for the coordinator; start workers with --config RUN/config.conf")]
    [InlineData("--role coordinator --resume {run} --config x.conf", "dkd host: --resume RUN takes the experiment from RUN/config.conf; drop --config")]
    [InlineData("--role coordinator --resume {run} --set rounds=7",
        "dkd host: --resume RUN: --set may change host-local keys only (cluster.*, threads, dataset.path, device, output.dir)")]
    [InlineData("--role coordinator --resume {run}/missing", "dkd resume: run directory '{run}/missing' not found")]
    public void Resume_on_a_cluster_refuses_bad_arguments_with_one_line_and_exit_code_2(string args, string expected)
    {
        string run = Path.Combine(_dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.conf"), "experiment { agents = 4, checkpoint.every = 2 }");
        var stderr = new StringWriter();
        int code = Cli.Dkd.Run(["host", .. args.Replace("{run}", run).Split(' ')], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains(expected.Replace("{run}", run), stderr.ToString());
    }
}
