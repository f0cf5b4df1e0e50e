using System.Diagnostics;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// A real cluster of three ActorSystems in this process (coordinator + 2 workers on 127.0.0.1, port 0): the same
/// metrics as the single-process run, per-host deduplicated payload traffic, and a lost worker ends the run with an
/// error naming it.
/// </summary>
[Collection("engine")]
public sealed class InProcessClusterTests(ITestOutputHelper output)
{
    // 5 agents over 2 workers in blocks: {0,1,2} and {3,4}. MLP [100] (79,510 parameters, 318 KB) so that payloads and
    // evaluation reports are larger than the smallest chunk size (256 KB) and travel chunked.
    private static readonly string[] Small =
        ["agents=5", "rounds=6", "eval-every=3", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp",
         "model.hidden=[100]", "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB"];

    private sealed class RoundWatch : IRunObserver
    {
        public volatile int Completed;
        public void OnMetrics(MetricsRow row) { }
        public void OnRoundCompleted(int completedRounds) => Completed = completedRounds;
    }

    private static async Task<(ClusterRunResult Result, string[] Workers)> RunCluster(LoadedExperiment loaded, HostProcess setup,
        IRunObserver? observer = null, Func<InProcessCluster, Task>? during = null, HostProcess[]? workerSetups = null)
    {
        await using var cluster = InProcessCluster.Start(loaded, setup, observer, workerSetups: workerSetups);
        if (during is not null) await during(cluster);
        return (await cluster.Result(90), cluster.Workers.Select(w => w.Address.ToString()).ToArray());
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Staged_devices_on_every_worker_give_the_cpu_metrics_and_each_worker_numbers_its_own_agents()
    {
        string[] sets = [.. Small, "model.hidden=[16]", "device=cpu-staged"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var cpu = LocalRun.Run(HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, "model.hidden=[16]"]).Config));
        Assert.Null(cpu.Error);
        // One setup per worker, as with one process per host: each learns its own agents' slots from its assignment.
        var workerSetups = new[] { HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config) };
        WorkerNode[] workers = [];
        var (cluster, _) = await RunCluster(loaded, HostProcess.Build(loaded.Config), during: running =>
        {
            workers = [.. running.Workers];
            return Task.CompletedTask;
        }, workerSetups: workerSetups);
        Assert.Null(cluster.Run.Error);
        Assert.Equal(Deterministic(cpu.Metrics), Deterministic(cluster.Run.Metrics));
        Assert.Equal(cpu.FinalAgentAccuracies, cluster.Run.FinalAgentAccuracies);
        // Blocks {0,1,2} and {3,4}: slots 0,1,2 and 0,1 — GPU k mod G on each host, whichever worker got which block.
        // (A worker never asks for another host's agents; those keep the default, their id.)
        var placed = await Task.WhenAll(workers.Select(w => Bounded.Within(w.Placement, "the worker's assignment", 10)));
        var slots = placed.Select(s => string.Join(",", Enumerable.Range(0, 5).Select(s.HostSlot))).Order().ToArray();
        Assert.Equal(["0,1,2,0,1", "0,1,2,3,4"], slots);
        Assert.All(workerSetups, s => Assert.Equal(4, s.HostSlot(4)));   // the process a worker was given is never changed
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Evaluation_reports_beyond_a_hosts_in_flight_budget_wait_for_acknowledgements()
    {
        // MLP [4000]: 3,180,010 parameters, 12.7 MB per report. The host holding agents 0-2 has 38 MB of reports per
        // evaluation, more than HostActor.MaxReportBytesInFlight: its third report goes only once the coordinator node
        // has acknowledged one. Without the acknowledgements no evaluation would ever complete.
        string[] sets = [.. Small, "rounds=2", "eval-every=1", "model.hidden=[4000]", "cluster.chunk-size=1MB"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var single = LocalRun.Run(HostProcess.Build(loaded.Config));
        Assert.Null(single.Error);
        Assert.True(3 * 4L * RunPlan.Build(loaded.Config).ParameterCount > Actors.Hosts.HostActor.MaxReportBytesInFlight);
        var (cluster, _) = await RunCluster(loaded, HostProcess.Build(loaded.Config));
        Assert.Null(cluster.Run.Error);
        Assert.Equal([1, 2], cluster.Run.Metrics.Select(m => m.Round));
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Run.Metrics));
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Three_actor_systems_give_the_single_process_metrics_bit_for_bit()
    {
        string[] sets = [.. Small, "topology.kind=full"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        var (cluster, workers) = await RunCluster(loaded, setup);
        Assert.Null(cluster.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Run.Metrics));
        Assert.Equal(2, cluster.Run.Metrics.Count);
        Assert.Equal(single.FinalAgentAccuracies, cluster.Run.FinalAgentAccuracies);
        Assert.Equal(single.BytesPerAgent, cluster.Run.BytesPerAgent);

        // Placement: blocks, hosts ordered by address.
        Assert.Equal(workers.Order(StringComparer.Ordinal), cluster.Hosts.Select(h => h.Address).Order(StringComparer.Ordinal));
        // Honest hosts, chunked traffic between all three nodes: nothing is taken for a message from a stranger.
        Assert.Empty(cluster.Dropped);
        Assert.All(cluster.Hosts, h => Assert.Equal(0, h.Wire!.Dropped));
        Assert.Equal([[0, 1, 2], [3, 4]], cluster.Hosts.Select(h => h.Agents));

        // Full graph: host 0 receives one parameter vector per round from each of agents 3, 4 (not one per target
        // agent: 6), host 1 one from each of 0, 1, 2. Payloads travel chunked ("ch"); headers add a few bytes per chunk.
        long vector = 4L * setup.Plan.ParameterCount;
        foreach (var (host, remoteSenders) in new[] { (0, 2), (1, 3) })
        {
            var received = cluster.Hosts[host].Wire!.Received;
            long payloadBytes = received.GetValueOrDefault("ch") + received.GetValueOrDefault("hg");
            output.WriteLine($"host {host}: received {payloadBytes:N0} payload wire bytes; analytic {6L * remoteSenders * vector:N0}");
            Assert.InRange(payloadBytes, 6L * remoteSenders * vector, 6L * remoteSenders * (vector + 512));
        }
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task A_worker_lost_mid_run_ends_the_run_naming_the_host_and_round()
    {
        string[] sets = [.. Small, "rounds=100000", "eval-every=0", "model.hidden=[16]"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var setup = HostProcess.Build(loaded.Config);
        var watch = new RoundWatch();
        // How long the failure detector took is logged, not asserted: a loaded machine may take longer; the wait for
        // the result is bounded.
        var clock = new Stopwatch();
        string lost = "";
        var (cluster, _) = await RunCluster(loaded, setup, watch, async running =>
        {
            await Bounded.Until(() => watch.Completed >= 3, "three completed rounds");
            lost = running.Workers[1].Address.ToString();
            clock.Start();
            await running.KillWorker(running.Workers[1]);
        });
        clock.Stop();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: {cluster.Run.Error}");
        Assert.NotNull(cluster.Run.Error);
        Assert.Contains(lost, cluster.Run.Error);
        Assert.Matches(@"in round \d+", cluster.Run.Error);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task With_on_host_loss_continue_the_other_hosts_finish_the_run_without_the_lost_agents()
    {
        // Ring 0-1-2-3-4-0 over {0,1,2} and {3,4}; worker 1 is terminated while the coordinator is held after round 3, so
        // agents 3 and 4 ran rounds 0-2 exactly; round 3 starts on all five and ends without them.
        string[] sets = [.. Small, "rounds=8", "eval-every=4", "model.hidden=[16]", "cluster.on-host-loss=continue"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        HostProcess? kept = null;
        async Task<ClusterRunResult> LoseWorkerOneAfterRound3()
        {
            var pause = new PauseAt(3);
            var (cluster, _) = await RunCluster(loaded, setup, pause, async running =>
            {
                await Bounded.Within(pause.Reached.Task, "the coordinator to pause after round 3", 60);
                kept = await Bounded.Within(running.WorkersInHostOrder[0].Placement, "worker 0's assignment", 10);
                // Worker 1 (agents 3-4) is the second by address: the coordinator orders hosts that way.
                await running.KillWorker(running.WorkersInHostOrder[1]);
                pause.Resume.Set();
            });
            return cluster;
        }
        Assert.False(setup.PayloadsOutliveIteration);   // a plain synchronous run lets received payloads go each iteration
        var first = await LoseWorkerOneAfterRound3();
        Assert.Null(first.Run.Error);
        // Neighbours of lost agents combine with their last payloads, so a continuing cluster's agents keep them.
        Assert.True(kept!.PayloadsOutliveIteration);
        Assert.False(setup.PayloadsOutliveIteration);   // the process a worker was given is never changed
        Assert.Equal([4, 8], first.Run.Metrics.Select(m => m.Round));
        var loss = Assert.Single(first.Run.HostLosses);
        Assert.Equal([3, 4], loss.AgentIds);
        Assert.Equal(3, loss.CompletedRounds);
        Assert.Contains("worker 1, agents 3-4", loss.Reason);

        // Bytes per neighbour per round b: the lost agents sent 3 rounds to both neighbours; agent 1 (no lost neighbour)
        // all 8 rounds; agents 0 and 2 sent to both neighbours in rounds 0-3 and to one (1) in rounds 4-7.
        long b = single.BytesPerAgent[0] / (8 * 2);
        Assert.Equal([12 * b, 16 * b, 12 * b, 6 * b, 6 * b], first.Run.BytesPerAgent);
        Assert.Equal(16 * b, single.BytesPerAgent[1]);

        // Rows cover the three remaining agents: finite, and agents 3 and 4 have no final accuracy.
        Assert.All(first.Run.Metrics, m => Assert.True(double.IsFinite(m.MeanAcc) && double.IsFinite(m.ConsensusDistance) && m.ConsensusDistance > 0));
        Assert.All(first.Run.FinalAgentAccuracies.Take(3), a => Assert.InRange(a, 0.0, 1.0));
        Assert.All(first.Run.FinalAgentAccuracies.Skip(3), a => Assert.True(double.IsNaN(a)));
        Assert.NotEqual(Deterministic(single.Metrics), Deterministic(first.Run.Metrics));

        // Losing a host at the same point gives the same run: nothing depends on how the loss raced the messages.
        var second = await LoseWorkerOneAfterRound3();
        Assert.Equal(Deterministic(first.Run.Metrics), Deterministic(second.Run.Metrics));
        Assert.Equal(first.Run.FinalAgentAccuracies, second.Run.FinalAgentAccuracies);
    }

    [Theory]
    [InlineData("mode=async", "experiment.cluster.on-host-loss = continue: supported in mode = sync only")]
    [InlineData("checkpoint.every=2", "experiment.cluster.on-host-loss = continue cannot be combined with experiment.checkpoint.every > 0")]
    public void On_host_loss_continue_is_refused_up_front_where_it_cannot_hold(string set, string error)
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, "cluster.on-host-loss=continue", set]);
        var setup = HostProcess.Build(loaded.Config);
        // Nothing is written before the refusal, so the directory is never created.
        var checkpoints = loaded.Config.CheckpointEvery > 0
            ? new Core.Checkpoint.RunCheckpoints(Path.Combine(Path.GetTempPath(), $"dkd-hostloss-{Guid.NewGuid():N}"), loaded.Config, "0")
            : null;
        var e = Assert.Throws<Core.InputException>(() => InProcessCluster.StartCoordinator(loaded, setup, checkpoints: checkpoints));
        Assert.StartsWith(error, e.Message);
    }

    [Fact]
    public void An_unknown_on_host_loss_policy_names_the_key_and_the_choices()
    {
        var e = Assert.Throws<Core.InputException>(() => ExperimentConfigLoader.Load(null, [.. Small, "cluster.on-host-loss=ignore"]));
        Assert.Contains("experiment.cluster.on-host-loss", e.Message);
        Assert.Contains("continue", e.Message);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task A_worker_started_with_another_experiment_is_refused_with_a_clear_error()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, "cluster.workers=1"]);
        var setup = HostProcess.Build(loaded.Config);
        await using var cluster = InProcessCluster.Start(loaded, setup, workerFingerprint: "another-experiment");
        var result = await cluster.Result(60);
        Assert.Contains("was started with a different experiment", result.Run.Error);
        Assert.Contains(cluster.Workers[0].Address.ToString(), result.Run.Error);
    }
}
