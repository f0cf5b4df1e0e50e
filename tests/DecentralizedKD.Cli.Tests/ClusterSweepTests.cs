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
}
