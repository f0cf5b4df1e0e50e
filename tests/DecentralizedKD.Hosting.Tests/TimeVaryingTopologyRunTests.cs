using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Tests.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// <c>topology.schedule</c> through the engines: learning on random graphs, the same run on one and two threads, in
/// lock-step asynchronous mode, after resume and on three actor systems; directed rounds for CCL's two exchanges; and
/// the methods that need fixed neighbours refused in one line.
/// </summary>
[Collection("engine")]
public sealed class TimeVaryingTopologyRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-schedule-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Eight = [.. TinySync.Sets, "agents=8", "rounds=12", "eval-every=4", "topology.degree=3", "topology.peers=2"];

    private static HostProcess Setup(params string[] sets) => TinySync.Setup([.. Eight, .. sets]);

    [Theory]
    [InlineData("random-regular")]
    [InlineData("random-push")]
    [InlineData("one-peer-exponential")]
    public void D_psgd_learns_on_a_time_varying_schedule_and_sends_only_to_each_rounds_recipients(string schedule)
    {
        var run = LocalRun.Run(Setup("algorithm.name=dpsgd", $"topology.schedule={schedule}", "rounds=30", "eval-every=10"));
        var alone = LocalRun.Run(Setup("algorithm.name=local", "rounds=30", "eval-every=10"));
        var ring = LocalRun.Run(Setup("algorithm.name=dpsgd", "rounds=30", "eval-every=10"));
        Assert.Null(run.Error);
        var last = run.Metrics[^1];
        output.WriteLine($"{schedule}: mean {last.MeanAcc:F3}, averaged {last.AvgModelAcc:F3}, consensus {last.ConsensusDistance:G3}; " +
                         $"static ring mean {ring.Metrics[^1].MeanAcc:F3}; local consensus {alone.Metrics[^1].ConsensusDistance:G3}");
        // Learns (chance is 0.1, the loss falls) about as well as the static ring does in the same rounds.
        Assert.True(last.MeanAcc > 0.2 && last.MeanAcc > ring.Metrics[^1].MeanAcc - 0.1, $"mean accuracy {last.MeanAcc}");
        Assert.True(last.TrainLoss < run.Metrics[0].TrainLoss);
        // Gossip keeps the agents together: far closer than agents that never talk.
        Assert.True(last.ConsensusDistance < 0.2 * alone.Metrics[^1].ConsensusDistance);
        // Exactly one parameter message per recipient per round: degree 3, 2 peers, or 1 peer.
        int perRound = schedule switch { "random-regular" => 8 * 3, "random-push" => 8 * 2, _ => 8 };
        long message = Setup().Plan.PayloadBytesPerExchange().Single();
        Assert.Equal(30L * perRound * message, run.BytesByKind.Single().Value);
    }

    [Theory]
    [InlineData("dpsgd", "random-push")]
    [InlineData("qgm", "random-regular")]
    [InlineData("ccl", "random-push")]
    [InlineData("ccl", "one-peer-exponential")]
    [InlineData("idkd", "random-push")]
    [InlineData("mhd", "one-peer-exponential")]
    [InlineData("sparse-dpsgd", "random-regular")]
    public void A_time_varying_run_is_equal_on_one_and_two_threads_and_in_lock_step_async(string algorithm, string schedule)
    {
        string[] sets = [$"algorithm.name={algorithm}", $"topology.schedule={schedule}", "dataset.public-fraction=0.2", "model.heads=2",
            "algorithm.idkd.start=0.5", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.2",
            "network.latency.dist=constant", "network.latency.value=10ms", "network.max-staleness=0", "compute.step-time=20ms"];
        var one = LocalRun.Run(Setup([.. sets, "threads=1"]));
        var two = LocalRun.Run(Setup([.. sets, "threads=2"]));
        var lockStep = LocalRun.Run(Setup([.. sets, "threads=2", "mode=async"]));
        Assert.Null(one.Error);
        Assert.Null(lockStep.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        Assert.Equal(one.FinalAgentParameters, two.FinalAgentParameters);
        Assert.Equal(WithoutTimes(one.Metrics), WithoutTimes(lockStep.Metrics));
        Assert.Equal(0, lockStep.Async!.Staleness.Keys.Single());
        Assert.True(double.IsFinite(one.Metrics[^1].TrainLoss));
    }

    [Fact]
    public void An_asynchronous_random_push_run_with_random_latency_uses_each_agents_own_iteration()
    {
        var run = LocalRun.Run(Setup("algorithm.name=dpsgd", "topology.schedule=random-push", "mode=async", "network.latency.dist=lognormal",
            "network.latency.median=15ms", "network.max-staleness=1", "network.wait-timeout=30ms", "rounds=20", "eval-every=10"));
        Assert.Null(run.Error);
        Assert.True(run.Metrics[^1].MeanAcc > 0.15 && run.Metrics[^1].TrainLoss < run.Metrics[0].TrainLoss, $"mean accuracy {run.Metrics[^1].MeanAcc}");
        Assert.True(run.Async!.Delivered == 8L * 2 * 20 - run.Async.Dropped, $"{run.Async.Delivered} deliveries");
    }

    [Fact]
    public void A_sequence_schedule_alternates_its_graphs_and_is_equal_on_one_and_two_threads()
    {
        // Round-robin over a ring and a perfect matching: even rounds send 2 messages per agent, odd rounds 1.
        File.WriteAllText(Path.Combine(_dir, "ring.txt"), string.Join('\n', Enumerable.Range(0, 8).Select(i => $"{i} {(i + 1) % 8}")));
        File.WriteAllText(Path.Combine(_dir, "pairs.txt"), "0 4\n1 5\n2 6\n3 7\n");
        string sequence = Path.Combine(_dir, "sequence.txt");
        File.WriteAllText(sequence, "ring.txt\npairs.txt\n");
        string[] sets = ["algorithm.name=dpsgd", "topology.schedule=sequence", $"topology.sequence-file={sequence}", "rounds=6", "eval-every=3"];
        var one = LocalRun.Run(Setup([.. sets, "threads=1"]));
        var two = LocalRun.Run(Setup([.. sets, "threads=2"]));
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        long message = Setup(sets).Plan.PayloadBytesPerExchange().Single();
        Assert.Equal(3 * (8 * 2 + 8 * 1) * message, one.BytesByKind.Single().Value);
    }

    [Theory]
    [InlineData("dpsgd", "random-push")]
    [InlineData("ccl", "one-peer-exponential")]
    public void Halted_and_resumed_gives_the_uninterrupted_run(string algorithm, string schedule)
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Eight, $"algorithm.name={algorithm}", $"topology.schedule={schedule}", "checkpoint.every=3"]);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var setup = HostProcess.Build(loaded.Config);
        var reference = LocalRun.Run(setup);
        var first = LocalRun.Run(setup, checkpoints: new RunCheckpoints(_dir, loaded.Config, hash) { HaltAfter = 6 });
        Assert.Equal("halted after the checkpoint of round 6", first.Error);
        var checkpoints = new RunCheckpoints(_dir, loaded.Config, hash);
        var resumed = LocalRun.Run(HostProcess.Build(loaded.Config), checkpoints: checkpoints, resumeFrom: checkpoints.Open());
        Assert.Null(resumed.Error);
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
        Assert.Equal(reference.FinalAgentParameters, resumed.FinalAgentParameters);
    }

    [Theory]
    [InlineData("dpsgd", "random-push")]
    [InlineData("ccl", "one-peer-exponential")]
    [Trait(TestCategories.Category, TestCategories.Slow)]
    public async Task Three_actor_systems_give_the_single_process_run_bit_for_bit(string algorithm, string schedule)
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Eight, $"algorithm.name={algorithm}", $"topology.schedule={schedule}", "threads=1",
            "cluster.workers=2", "cluster.chunk-size=4KB"]);
        var single = LocalRun.Run(HostProcess.Build(loaded.Config));
        Assert.Null(single.Error);
        await using var cluster = InProcessCluster.Start(loaded, HostProcess.Build(loaded.Config),
            workerSetups: [HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config)]);
        var result = (await cluster.Result(seconds: 120)).Run;
        Assert.Null(result.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, result.FinalAgentAccuracies);
        Assert.Equal(single.BytesByKind, result.BytesByKind);
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.Slow)]
    public async Task An_asynchronous_random_push_run_on_three_actor_systems_gives_the_single_process_events_bit_for_bit()
    {
        // Random latencies, drops and stragglers: each host computes every agent's recipients of its own iteration.
        var loaded = ExperimentConfigLoader.Load(null, [.. Eight, "algorithm.name=dpsgd", "topology.schedule=random-push", "mode=async",
            "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB", "network.latency.dist=lognormal", "network.latency.median=15ms",
            "network.latency.sigma=0.8", "network.drop=0.1", "network.max-staleness=1", "network.wait-timeout=40ms",
            "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=3"]);
        string singleEvents = Path.Combine(_dir, "single.jsonl"), clusterEvents = Path.Combine(_dir, "cluster.jsonl");
        RunResult single;
        using (var events = new EventsJsonl(singleEvents)) single = LocalRun.Run(HostProcess.Build(loaded.Config), asyncObserver: events);
        Assert.Null(single.Error);
        ClusterRunResult cluster;
        using (var events = new EventsJsonl(clusterEvents))
        {
            await using var nodes = InProcessCluster.Start(loaded, HostProcess.Build(loaded.Config), events: events);
            cluster = await nodes.Result(120);
        }
        Assert.Null(cluster.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Run.Metrics));
        Assert.Equal(File.ReadAllLines(singleEvents), File.ReadAllLines(clusterEvents));
        Assert.Contains(File.ReadAllLines(clusterEvents), l => l.Contains("\"event\":\"drop\""));
        Assert.Equal(single.BytesByKind, cluster.Run.BytesByKind);
    }

    [Theory]
    [InlineData("choco", "experiment.topology.schedule = random-push: algorithm 'choco' needs the same neighbours in every round; use topology.schedule = static")]
    [InlineData("fedavg", "experiment.topology.schedule = random-push: algorithm 'fedavg' needs the same neighbours in every round; use topology.schedule = static")]
    public void Methods_that_need_fixed_neighbours_are_refused_in_one_line(string algorithm, string message)
    {
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Eight, $"algorithm.name={algorithm}", "topology.schedule=random-push"]));
        Assert.Equal(message, e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Eight, "mode=realtime", "topology.schedule=one-peer-exponential"]));
        Assert.Equal("experiment.topology.schedule = one-peer-exponential: time-varying schedules run in experiment.mode = sync or async, not realtime", e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Eight, "topology.schedule=ring"]));
        // The built-in schedules first; a test assembly may have registered more after them.
        Assert.StartsWith("experiment.topology.schedule = 'ring': expected one of static | random-regular | random-push | one-peer-exponential | sequence", e.Message);
    }

    private static string[] WithoutTimes(IEnumerable<MetricsRow> rows) =>
        rows.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })).ToArray();
}
