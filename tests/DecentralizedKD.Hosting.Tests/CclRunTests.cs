using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>CCL end to end on real Fashion-MNIST (small): byte accounting per payload kind, determinism, async lock-step.</summary>
[Collection("engine")]
public sealed class CclRunTests
{
    private static readonly string[] Small =
        ["algorithm.name=ccl", "agents=4", "rounds=12", "eval-every=6", "dataset.test-samples=300", "partition.alpha=0.5",
         "model.name=mlp", "model.hidden=[32]"];

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);

    private static string[] WithoutTimes(IEnumerable<MetricsRow> rows) =>
        rows.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })).ToArray();

    [Fact]
    public void Bytes_per_kind_match_the_analytic_sizes()
    {
        var setup = Setup();
        var run = LocalRun.Run(setup);
        Assert.Null(run.Error);
        long messages = 12L * 4 * 2;   // rounds × agents × ring neighbours
        Assert.Equal(messages * 4 * setup.Plan.ParameterCount, run.BytesByKind[ParameterPayload.KindName]);
        Assert.Equal(messages * 4 * (10 * 32 + 10), run.BytesByKind[FeatureSumsPayload.KindName]);   // C·D + C floats, D = 32
        Assert.Equal(run.BytesByKind.Values.Sum(), run.Metrics[^1].BytesSent);
        // LeNet-5 on Fashion-MNIST: 61,706 parameter floats and 850 class-sum floats per neighbour per iteration.
        var lenet = Setup("model.name=lenet5");
        Assert.Equal(new[] { 4L * 61_706, 4L * 850 }, lenet.Plan.PayloadBytesPerExchange());
    }

    [Fact]
    public void Same_seed_same_metrics_for_one_and_two_threads()
    {
        var one = LocalRun.Run(Setup("threads=1"));
        var two = LocalRun.Run(Setup("threads=2"));
        Assert.Equal(WithoutTimes(one.Metrics), WithoutTimes(two.Metrics));
        var other = LocalRun.Run(Setup("seed=5"));
        Assert.NotEqual(one.Metrics[^1].TrainLoss, other.Metrics[^1].TrainLoss);
    }

    [Fact]
    public void Lock_step_async_runs_both_exchanges_like_the_synchronous_engine()
    {
        string[] lockStep = ["network.latency.dist=constant", "network.latency.value=10ms", "network.max-staleness=0", "compute.step-time=20ms"];
        var setup = Setup(lockStep);
        var sync = LocalRun.Run(setup);
        var asyncRun = LocalRun.Run(Setup([.. lockStep, "mode=async"]));
        Assert.Null(asyncRun.Error);
        Assert.Equal(WithoutTimes(sync.Metrics), WithoutTimes(asyncRun.Metrics));
        // Two exchanges per round, each one latency plus its transfer time.
        for (int k = 0; k < sync.Metrics.Count; k++)
            Assert.Equal(sync.Metrics[k].VirtualTimeS, asyncRun.Metrics[k].VirtualTimeS, 1e-9);
        Assert.Equal(sync.BytesByKind, asyncRun.BytesByKind);
    }

    [Fact]
    public void Loss_weights_and_loss_form_change_the_result()
    {
        var ccl = LocalRun.Run(Setup());
        var none = LocalRun.Run(Setup("algorithm.ccl.lambda-model=0", "algorithm.ccl.lambda-data=0"));
        Assert.NotEqual(ccl.Metrics[^1].TrainLoss, none.Metrics[^1].TrainLoss);
        var infonce = LocalRun.Run(Setup("algorithm.ccl.loss=infonce"));
        Assert.NotEqual(ccl.Metrics[^1].TrainLoss, infonce.Metrics[^1].TrainLoss);
        Assert.True(ccl.Metrics[^1].MeanAcc > 0.3, $"CCL learns: {ccl.Metrics[^1].MeanAcc}");
    }
}
