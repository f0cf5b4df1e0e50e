using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>FedAvg and FedDKD end to end (config loader + engines) on small synthetic data: 4 clients and a server.</summary>
[Collection("engine")]
public sealed class FedDkdRunTests(ITestOutputHelper output)
{
    private const int Clients = 4, Rounds = 4, LocalSteps = 20;

    private static readonly string[] Small =
        ["dataset.name=synthetic", "dataset.synthetic.train-size=1200", "dataset.synthetic.test-size=300", "dataset.synthetic.shape=[20]", "dataset.synthetic.separability=4",
         "model.name=mlp", "model.hidden=[16]", $"agents={Clients}", $"rounds={Rounds}", "eval-every=2", $"optimizer.local-steps={LocalSteps}",
         "partition.alpha=0.5", "algorithm.feddkd.lr=0.05"];

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);

    private static RunResult Run(params string[] sets)
    {
        var result = LocalRun.Run(Setup(sets));
        Assert.Null(result.Error);
        return result;
    }

    [Fact]
    public void Feddkd_with_zero_steps_is_fedavg_exactly_and_fedavg_ignores_feddkd_steps()
    {
        var fedavg = Deterministic(Run("algorithm.name=fedavg"));
        Assert.Equal(fedavg, Deterministic(Run("algorithm.name=feddkd", "algorithm.feddkd.steps=0")));
        Assert.Equal(fedavg, Deterministic(Run("algorithm.name=fedavg", "algorithm.feddkd.steps=3")));
        Assert.NotEqual(fedavg, Deterministic(Run("algorithm.name=feddkd", "algorithm.feddkd.steps=2")));
        output.WriteLine(fedavg[^1]);
    }

    [Fact]
    public void The_server_is_an_extra_agent_without_data_at_the_centre_of_a_star()
    {
        var setup = Setup("algorithm.name=feddkd", "topology.kind=ring");   // topology.kind is not used
        Assert.Equal(Clients + 1, setup.Plan.Config.AgentCount);
        Assert.Equal(Clients, setup.Plan.ServerId);
        Assert.Equal(Clients, setup.Plan.Partition.Agents);
        Assert.Equal(1200, setup.Plan.Partition.AgentIndices.Sum(a => a.Length));
        Assert.Equal(Enumerable.Range(0, Clients), setup.Plan.NeighbourLists[Clients]);
        for (int k = 0; k < Clients; k++) Assert.Equal([Clients], setup.Plan.NeighbourLists[k]);

        var r = LocalRun.Run(setup);
        Assert.Null(r.Error);
        Assert.Equal(Clients + 1, r.FinalAgentAccuracies.Count);
        Assert.Equal(Clients + 1, r.BytesPerAgent.Count);
        // Everyone holds w_g after a round: the server's accuracy equals every client's, and the client statistics agree.
        Assert.All(r.FinalAgentAccuracies, a => Assert.Equal(r.FinalAgentAccuracies[Clients], a));
        foreach (var row in r.Metrics)
        {
            Assert.Equal(0, row.ConsensusDistance);
            Assert.Equal(row.MinAcc, row.MaxAcc);
            Assert.Equal(row.MeanAcc, row.AvgModelAcc);
            Assert.True(double.IsFinite(row.TrainLoss) && row.TrainLoss > 0, $"train loss {row.TrainLoss} (the server has none and is left out)");
        }
        Assert.Equal(r.FinalAgentAccuracies[Clients], r.Metrics[^1].MeanAcc);
        Assert.True(r.Metrics[^1].MeanAcc > 0.5, $"accuracy {r.Metrics[^1].MeanAcc} (chance 0.1)");
        Assert.True(r.Metrics[^1].TrainLoss < r.Metrics[0].TrainLoss);
    }

    [Theory]
    [InlineData("fedavg", 0)]
    [InlineData("feddkd", 2)]
    public void Bytes_per_round_and_client_are_2_plus_2S_vectors(string algorithm, int s)
    {
        var setup = Setup($"algorithm.name={algorithm}", "algorithm.feddkd.steps=2");
        long vector = 4L * setup.Plan.ParameterCount;
        var r = LocalRun.Run(setup);
        Assert.Null(r.Error);
        Assert.Equal(Rounds * Clients * (2 + 2 * s) * vector, r.Metrics[^1].BytesSent);
        Assert.Equal(Rounds / 2 * Clients * (2 + 2 * s) * vector, r.Metrics[0].BytesSent);
        Assert.Equal(Rounds * Clients * (2 + s) * vector, r.BytesByKind["parameters"]);   // uploads, S students down, final broadcast
        Assert.Equal(Rounds * Clients * s * vector, r.BytesByKind.GetValueOrDefault("gradients"));
        for (int k = 0; k < Clients; k++) Assert.Equal(Rounds * (1 + s) * vector, r.BytesPerAgent[k]);
        Assert.Equal(Rounds * Clients * (1 + s) * vector, r.BytesPerAgent[Clients]);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_metrics_with_one_or_two_threads()
    {
        string[] feddkd = ["algorithm.name=feddkd", "algorithm.feddkd.kd-batches=3"];
        var one = Deterministic(Run([.. feddkd, "threads=1"]));
        Assert.Equal(one, Deterministic(Run([.. feddkd, "threads=2"])));
        Assert.Equal(one, Deterministic(Run([.. feddkd, "threads=2"])));
        Assert.NotEqual(one, Deterministic(Run([.. feddkd, "seed=5"])));
    }

    private static string[] WithoutTimes(IEnumerable<MetricsRow> rows) =>
        rows.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })).ToArray();

    [Theory]
    [InlineData("fedavg")]
    [InlineData("feddkd")]
    public void Lock_step_async_reproduces_the_synchronous_engine_exactly(string algorithm)
    {
        string[] lockStep = [$"algorithm.name={algorithm}", "network.latency.dist=constant", "network.latency.value=10ms",
            "network.max-staleness=0", "compute.step-time=20ms"];
        var sync = Run(lockStep);
        var asyncRun = Run([.. lockStep, "mode=async"]);
        Assert.Equal(WithoutTimes(sync.Metrics), WithoutTimes(asyncRun.Metrics));
        for (int k = 0; k < sync.Metrics.Count; k++)
            Assert.Equal(sync.Metrics[k].VirtualTimeS, asyncRun.Metrics[k].VirtualTimeS, 1e-9);
        Assert.Equal(sync.BytesPerAgent, asyncRun.BytesPerAgent);
        Assert.Equal(0, asyncRun.Async!.TimedOutCombines);
        output.WriteLine($"{algorithm}: virtual time after {Rounds} rounds {asyncRun.Metrics[^1].VirtualTimeS:R} s");
    }

    [Fact]
    public void Stragglers_slow_the_rounds_down_without_changing_the_result_when_the_server_waits_long_enough()
    {
        string[] common = ["algorithm.name=feddkd", "network.latency.dist=constant", "network.latency.value=10ms",
            "network.max-staleness=0", "compute.step-time=20ms"];
        var sync = Run(common);
        var slow = Run([.. common, "mode=async", "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=4", "network.wait-timeout=10s"]);
        Assert.Equal(WithoutTimes(sync.Metrics), WithoutTimes(slow.Metrics));
        // One straggler of four takes 4× the local work: each round is 3 × local-steps × 20 ms longer.
        Assert.Equal(sync.Metrics[^1].VirtualTimeS + Rounds * 3 * LocalSteps * 0.02, slow.Metrics[^1].VirtualTimeS, 1e-9);
    }

    [Fact]
    public void Async_with_drops_and_timeouts_finishes_every_round_with_partial_participation()
    {
        var r = Run("algorithm.name=feddkd", "mode=async", "network.max-staleness=0", "network.drop=0.2", "network.wait-timeout=50ms");
        Assert.Equal(new[] { 2, 4 }, r.Metrics.Select(m => m.Round));
        Assert.True(r.Async!.Dropped > 0);
        Assert.True(r.Async.TimedOutCombines > 0);
        Assert.True(r.Metrics[^1].MeanAcc > 0.3, $"accuracy {r.Metrics[^1].MeanAcc}");
    }

    [Theory]
    [InlineData("fedavg-16clients-fmnist-a001.conf", "fedavg", 0.01)]
    [InlineData("fedavg-16clients-fmnist-a01.conf", "fedavg", 0.1)]
    [InlineData("feddkd-16clients-fmnist-a001.conf", "feddkd", 0.01)]
    [InlineData("feddkd-16clients-fmnist-a01.conf", "feddkd", 0.1)]
    public void Ready_to_run_configs_have_16_clients_and_the_ring_configs_sgd_budget(string file, string algorithm, double alpha)
    {
        static Core.Config.ExperimentConfig Load(string name) =>
            ExperimentConfigLoader.Load(Path.Combine(RepositoryRoot.FullName, "hocon/experiments", name), []).Config;
        var c = Load(file);
        var ring = Load("qgm-ring16-fmnist.conf");
        Assert.Equal(algorithm, c.Algorithm.Name);
        Assert.Equal(16, c.Agents);
        Assert.Equal(17, c.AgentCount);
        Assert.Equal(alpha, c.Partition.Alpha);
        Assert.Equal(ring.Rounds * ring.Optimizer.LocalSteps, c.Rounds * c.Optimizer.LocalSteps);   // 1170 SGD steps per client
        Assert.Equal((ring.Optimizer.Lr, ring.Optimizer.Momentum, ring.Optimizer.WeightDecay, ring.Optimizer.BatchSize, ring.Model.Name, ring.Dataset.Name),
            (c.Optimizer.Lr, c.Optimizer.Momentum, c.Optimizer.WeightDecay, c.Optimizer.BatchSize, c.Model.Name, c.Dataset.Name));
        Assert.Equal(ring.Optimizer.LocalSteps * ring.EvalEvery, c.Optimizer.LocalSteps * c.EvalEvery);  // same evaluation cadence in steps
        Assert.Equal(algorithm == "feddkd" ? 2 : 0, ((Core.Algorithms.FederatedDescriptor)c.Algorithm.Descriptor).Schedule(c).Steps);
    }

    [Theory]
    [InlineData("async", -1)]
    [InlineData("async", 1)]
    [InlineData("realtime", -1)]
    public void Async_modes_need_max_staleness_zero(string mode, int staleness)
    {
        var e = Assert.Throws<InputException>(() =>
            ExperimentConfigLoader.Load(null, [.. Small, "algorithm.name=fedavg", $"mode={mode}", $"network.max-staleness={staleness}"]));
        Assert.StartsWith($"experiment.network.max-staleness = {staleness}:", e.Message);
        Assert.Contains("expected 0", e.Message);
    }
}
