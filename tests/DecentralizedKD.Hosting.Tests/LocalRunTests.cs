using DecentralizedKD.Actors;
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

/// <summary>The whole synchronous engine (actors + torch) on real Fashion-MNIST, kept short.</summary>
[Collection("engine")]
public sealed class LocalRunTests(ITestOutputHelper output)
{
    private static RunResult Run(params string[] sets)
    {
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var result = LocalRun.Run(HostProcess.Build(loaded.Config));
        Assert.Null(result.Error);
        return result;
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void Same_seed_gives_bit_identical_metrics_with_one_or_two_compute_threads()
    {
        string[] common = ["agents=4", "rounds=24", "eval-every=8", "dataset.test-samples=1000", "partition.alpha=0.5", "algorithm.name=qgm"];
        var one = Deterministic(Run([.. common, "threads=1"]));
        var two = Deterministic(Run([.. common, "threads=2"]));
        var again = Deterministic(Run([.. common, "threads=2"]));
        Assert.Equal(3, one.Length);
        Assert.Equal(one, two);
        Assert.Equal(two, again);
        var otherSeed = Deterministic(Run([.. common, "threads=2", "seed=1"]));
        Assert.NotEqual(one, otherSeed);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void Dpsgd_on_iid_fashion_mnist_learns_well_above_chance()
    {
        var r = Run("agents=4", "rounds=200", "eval-every=100", "dataset.test-samples=2000", "partition.kind=iid");
        var last = r.Metrics[^1];
        output.WriteLine($"mean acc {last.MeanAcc:P1}, averaged model {last.AvgModelAcc:P1}, consensus {last.ConsensusDistance:G3}");
        Assert.Equal(200, last.Round);
        Assert.True(last.MeanAcc > 0.6, $"mean accuracy {last.MeanAcc} (chance 0.1)");
        Assert.True(last.AvgModelAcc > 0.6, $"averaged-model accuracy {last.AvgModelAcc}");
        // Bytes: 4 agents × 2 ring neighbours × 61,706 floats × 4 bytes × 200 rounds.
        Assert.Equal(4L * 2 * 61_706 * 4 * 200, last.BytesSent);
        Assert.True(r.Metrics[0].TrainLoss > last.TrainLoss);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void Qgm_keeps_agents_closer_together_than_dpsgd_on_a_non_iid_ring()
    {
        string[] common = ["agents=8", "rounds=150", "eval-every=50", "dataset.test-samples=1000", "partition.alpha=0.1"];
        var dpsgd = Run([.. common, "algorithm.name=dpsgd"]);
        var qgm = Run([.. common, "algorithm.name=qgm"]);
        double d = dpsgd.Metrics.Average(m => m.ConsensusDistance), q = qgm.Metrics.Average(m => m.ConsensusDistance);
        output.WriteLine($"mean consensus distance over evaluations: D-PSGD {d:G4}, QGM {q:G4}");
        Assert.True(q < d, $"QGM consensus {q} should be below D-PSGD {d}");
    }

    [Fact]
    public void Local_training_sends_nothing()
    {
        var r = Run("agents=3", "rounds=10", "eval-every=0", "dataset.test-samples=500", "algorithm.name=local");
        Assert.Equal(0, r.Metrics[^1].BytesSent);
        Assert.Single(r.Metrics);
    }
}
