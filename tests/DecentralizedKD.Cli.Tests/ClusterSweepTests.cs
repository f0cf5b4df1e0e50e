using DecentralizedKD.Cli.Commands;
using DecentralizedKD.Cli.Sweeps;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Sweeps;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// A sweep on three ActorSystems in this process (coordinator + 2 workers on 127.0.0.1, port 0): the same sweep.csv
/// and cells.csv as the single-process sweep, and a worker lost mid-sweep has its runs done by the other one.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ClusterSweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-csweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private SweepPlan Plan(int rounds)
    {
        File.WriteAllText(Path.Combine(_dir, "base.conf"), "experiment { rounds = 6 }\n");
        string path = Path.Combine(_dir, "sweep.conf");
        File.WriteAllText(path, $$"""
            sweep {
              name = cs, base = "base.conf", seeds = [0, 1, 2]
              set { agents = 4, rounds = {{rounds}}, eval-every = {{rounds / 2}}, dataset.name = synthetic, dataset.synthetic.train-size = 480,
                    dataset.synthetic.test-size = 200, "dataset.synthetic.shape" = [1, 8, 8], partition.kind = iid, model.name = mlp,
                    "model.hidden" = [16], optimizer.batch-size = 64, cluster.register-retry = 200ms }
              grid { "algorithm.name" = [dpsgd, qgm] }
            }
            """);
        return SweepPlan.Build(SweepDefinition.Load(path));
    }

    private static string[] WithoutWall(string csv) =>
        File.ReadAllLines(csv).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @",[^,]*,""?runs/", ",runs/")).ToArray();

    private string Local(SweepPlan plan)
    {
        string dir = Path.Combine(_dir, "local");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var statuses = SweepRunner.Run(plan, dir, plan.Runs.Select(r => Running.ExperimentRunner.Prepare(r.Loaded)).ToArray(), 2);
        SweepReports.Write(plan, dir, statuses, 0);
        return dir;
    }

    [Fact]
    public async Task Three_actor_systems_write_the_single_process_sweep_tables()
    {
        var plan = Plan(rounds: 6);
        string local = Local(plan);
        string dir = Path.Combine(_dir, "cluster");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var options = plan.Runs[0].Loaded.Cluster;
        await using var coordinator = new ClusterSweep.Coordinator(plan, dir, options, new NodeEndpoint());
        await using var w1 = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        await using var w2 = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        Assert.Null(await Bounded.Within(coordinator.Done, "the cluster sweep to end", 90));
        Assert.Equal(0, coordinator.WriteReports());
        Assert.Null(await Bounded.Within(w1.Done, "worker 1 to end", 30));
        Assert.Null(await Bounded.Within(w2.Done, "worker 2 to end", 30));
        Assert.Equal(WithoutWall(Path.Combine(local, "sweep.csv")), WithoutWall(Path.Combine(dir, "sweep.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(local, "cells.csv")), File.ReadAllText(Path.Combine(dir, "cells.csv")));
        // The run folders came back whole: the same metrics as the local ones.
        foreach (var run in plan.Runs)
            Assert.Equal(File.ReadAllText(Path.Combine(local, run.Folder, "agents.csv")), File.ReadAllText(Path.Combine(dir, run.Folder, "agents.csv")));
    }

    [Fact]
    public async Task A_worker_lost_mid_sweep_has_its_runs_finished_by_another()
    {
        var plan = Plan(rounds: 120);
        string dir = Path.Combine(_dir, "cluster");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var options = plan.Runs[0].Loaded.Cluster;
        await using var coordinator = new ClusterSweep.Coordinator(plan, dir, options, new NodeEndpoint());
        await using var survivor = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        var lost = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        // Stop the second worker once the sweep is under way (it then holds a run it never returns).
        await Bounded.Until(() => Directory.GetFiles(dir, ".sweep-complete", SearchOption.AllDirectories).Length >= 1, "the first complete run", 60);
        await lost.DisposeAsync();
        Assert.Null(await Bounded.Within(coordinator.Done, "the cluster sweep to end", 120));
        Assert.Equal(0, coordinator.WriteReports());
        Assert.Equal(plan.Runs.Count, Directory.GetFiles(dir, ".sweep-complete", SearchOption.AllDirectories).Length);
        Assert.All(File.ReadAllLines(Path.Combine(dir, "sweep.csv")).Skip(1), l => Assert.Contains(",ok,", l));
    }

    [Fact]
    public async Task A_worker_started_with_another_sweep_is_refused()
    {
        var plan = Plan(rounds: 6);
        var other = Plan(rounds: 8);
        string dir = Path.Combine(_dir, "cluster");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var options = plan.Runs[0].Loaded.Cluster;
        await using var coordinator = new ClusterSweep.Coordinator(plan, dir, options, new NodeEndpoint());
        await using var stranger = new ClusterSweep.Worker(other, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        string? error = await Bounded.Within(stranger.Done, "the refused worker to end", 30);
        Assert.StartsWith("the sweep coordinator refused this worker: was started with a different sweep (fingerprint", error);
        Assert.False(coordinator.Done.IsCompleted);
    }

    /// <summary>A fresh environment variable holding <paramref name="value"/> (unique per test: tests share the process).</summary>
    private static string SecretVariable(string value)
    {
        string name = $"DKD_TEST_SECRET_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        Environment.SetEnvironmentVariable(name, value);
        return name;
    }

    [Fact]
    public async Task Workers_with_a_wrong_or_no_run_secret_are_refused_with_one_line_each_and_the_sweep_completes_with_the_right_workers()
    {
        const string secret = "correct horse battery staple";
        var plan = Plan(rounds: 6);
        string dir = Path.Combine(_dir, "cluster");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var options = plan.Runs[0].Loaded.Cluster with { SecretEnv = SecretVariable(secret) };
        await using var coordinator = new ClusterSweep.Coordinator(plan, dir, options, new NodeEndpoint());
        var warnings = new WarningLog(coordinator.Node.System);
        await using var wrong = new ClusterSweep.Worker(plan, coordinator.Address, options with { SecretEnv = SecretVariable("a guess") }, new NodeEndpoint(), slots: 1);
        await using var none = new ClusterSweep.Worker(plan, coordinator.Address, options with { SecretEnv = "" }, new NodeEndpoint(), slots: 1);
        Assert.Equal("the sweep coordinator refused this worker: it does not prove the run secret (a different secret in its experiment.cluster.secret-env)",
            await Bounded.Within(wrong.Done, "the worker with a wrong secret to be refused", 30));
        Assert.Equal("the sweep coordinator refused this worker: it has no run secret (experiment.cluster.secret-env is not set on that host)",
            await Bounded.Within(none.Done, "the worker without a secret to be refused", 30));
        Assert.Single(warnings.Lines, l => l.Contains($"refused worker {wrong.Address}: it does not prove the run secret"));
        Assert.Single(warnings.Lines, l => l.Contains($"refused worker {none.Address}: it has no run secret"));
        Assert.Empty(Directory.GetFiles(dir, ".sweep-complete", SearchOption.AllDirectories));   // neither got a run

        await using var w1 = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        await using var w2 = new ClusterSweep.Worker(plan, coordinator.Address, options, new NodeEndpoint(), slots: 1);
        Assert.Null(await Bounded.Within(coordinator.Done, "the cluster sweep to end", 90));
        Assert.Equal(0, coordinator.WriteReports());
        Assert.Null(await Bounded.Within(w1.Done, "worker 1 to end", 30));
        Assert.Null(await Bounded.Within(w2.Done, "worker 2 to end", 30));
        Assert.Equal(plan.Runs.Count, Directory.GetFiles(dir, ".sweep-complete", SearchOption.AllDirectories).Length);
        Assert.All(File.ReadAllLines(Path.Combine(dir, "sweep.csv")).Skip(1), l => Assert.Contains(",ok,", l));
        Assert.Equal(2, warnings.Lines.Count(l => l.Contains("refused worker")));
        Assert.All(warnings.Lines, l => Assert.DoesNotContain(secret, l));
    }

    [Fact]
    public async Task A_worker_with_a_run_secret_takes_no_runs_from_a_sweep_coordinator_that_does_not_prove_it()
    {
        var plan = Plan(rounds: 6);
        string dir = Path.Combine(_dir, "cluster");
        SweepCommand.OpenSweepDirectory(dir, plan.Definition);
        var options = plan.Runs[0].Loaded.Cluster;
        await using var coordinator = new ClusterSweep.Coordinator(plan, dir, options, new NodeEndpoint());
        await using var worker = new ClusterSweep.Worker(plan, coordinator.Address, options with { SecretEnv = SecretVariable("s3cret") }, new NodeEndpoint(), slots: 1);
        string? error = await Bounded.Within(worker.Done, "the worker to stop", 30);
        Assert.Equal($"the sweep coordinator {((Akka.Actor.ExtendedActorSystem)coordinator.Node.System).Provider.DefaultAddress} did not prove the run secret (experiment.cluster.secret-env) this worker has; it takes no runs from it", error);
        Assert.Empty(Directory.GetFiles(dir, ".sweep-complete", SearchOption.AllDirectories));
        Assert.False(coordinator.Done.IsCompleted);
    }
}
