using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>MHD end to end on tiny synthetic data: determinism, logits-only traffic, config errors, async.</summary>
[Collection("engine")]
public sealed class MhdRunTests
{
    private static readonly string[] Small =
        ["algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.2", "agents=4", "rounds=12", "eval-every=6",
         "dataset.name=synthetic", "dataset.synthetic.train-size=1000", "dataset.synthetic.test-size=200",
         "dataset.synthetic.shape=[16]", "model.name=mlp", "model.hidden=[16]", "algorithm.mhd.public-batch-size=8",
         "partition.alpha=0.5"];

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);

    [Fact]
    public void Same_seed_gives_bit_identical_metrics_and_final_models_and_only_logits_cross_the_network()
    {
        var one = LocalRun.Run(Setup("threads=1"));
        var two = LocalRun.Run(Setup("threads=2"));
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        Assert.Equal(one.FinalAgentParameters, two.FinalAgentParameters);
        // 12 rounds × 4 agents × 2 ring neighbours × 4 bytes · |P| = 8 · K = 2 · C = 10; no parameters at all.
        long logits = 12L * 4 * 2 * 4 * 8 * 2 * 10;
        Assert.Equal(new Dictionary<string, long> { [LogitsPayload.KindName] = logits }, one.BytesByKind);
        Assert.Equal(logits, one.Metrics[^1].BytesSent);
        Assert.Equal(4, one.FinalAgentParameters.Count);
        var other = LocalRun.Run(Setup("seed=3"));
        Assert.NotEqual(one.Metrics[^1].TrainLoss, other.Metrics[^1].TrainLoss);
    }

    [Fact]
    public void With_all_head_weights_zero_it_trains_exactly_like_local_training()
    {
        // No distillation term: cross-entropy of the main head with the same batches and optimizer = the local baseline.
        var mhd = LocalRun.Run(Setup("algorithm.mhd.head-weights=[0]"));
        var local = LocalRun.Run(Setup("algorithm.name=local"));
        string[] Accuracy(IEnumerable<MetricsRow> rows) => rows.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0, BytesSent = 0 })).ToArray();
        Assert.Equal(Accuracy(local.Metrics), Accuracy(mhd.Metrics));
        Assert.NotEqual(Accuracy(mhd.Metrics), Accuracy(LocalRun.Run(Setup()).Metrics));   // and distillation does change training
    }

    [Fact]
    public void Lock_step_async_reproduces_the_synchronous_run_and_drops_are_tolerated()
    {
        var sync = LocalRun.Run(Setup());
        var lockstep = LocalRun.Run(Setup("mode=async", "network.max-staleness=0"));
        Assert.Null(lockstep.Error);
        Assert.Equal(sync.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })),
            lockstep.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })));
        Assert.Equal(sync.Metrics[^1].VirtualTimeS, lockstep.Metrics[^1].VirtualTimeS, 1e-9);
        var lossy = LocalRun.Run(Setup("mode=async", "network.drop=0.5", "network.latency.dist=lognormal"));
        Assert.Null(lossy.Error);
        Assert.Equal(12, lossy.Metrics[^1].Round);
        Assert.True(double.IsFinite(lossy.Metrics[^1].TrainLoss));
    }

    [Fact]
    public void Config_errors_name_the_key()
    {
        Assert.Contains("model.heads", Assert.Throws<InputException>(() => Setup("model.heads=1")).Message);
        Assert.Contains("dataset.public-fraction", Assert.Throws<InputException>(() => Setup("dataset.public-fraction=0")).Message);
        Assert.Contains("public-batch-size", Assert.Throws<InputException>(() => Setup("algorithm.mhd.public-batch-size=500")).Message);
        Assert.Contains("head-weights", Assert.Throws<InputException>(() => Setup("algorithm.mhd.head-weights=[]")).Message);
    }

    [Fact]
    public void Final_metrics_reweight_the_main_heads_class_accuracy_and_score_every_auxiliary_head()
    {
        var setup = Setup();
        var run = LocalRun.Run(setup);
        var final = FinalAgentMetrics.Evaluate(setup, run.FinalAgentParameters);
        Assert.Equal(4, final.Length);
        using var evaluator = new ScratchModelEvaluator(setup.Plan, ComputeDevice.Cpu);
        var testCounts = setup.Plan.Data.Test.LabelHistogram(Enumerable.Range(0, setup.Plan.Data.Test.Count));
        for (int i = 0; i < 4; i++)
        {
            var p = run.FinalAgentParameters[i]!;
            Assert.Equal(run.FinalAgentAccuracies[i], evaluator.Accuracy(p), 12);   // the parameters are the evaluated ones
            var heads = evaluator.HeadClassAccuracies(p);
            Assert.Equal(3, heads.Length);
            Assert.Equal(PrivateAccuracy.Compute(setup.Plan.Partition.LabelHistograms[i], heads[0]), final[i].PrivateAccuracy, 12);
            Assert.Equal(run.FinalAgentAccuracies[i], PrivateAccuracy.Compute(testCounts, heads[0]), 12);   // main head, whole test set
            Assert.Equal(2, final[i].AuxiliaryHeadAccuracies.Length);
            Assert.All(final[i].AuxiliaryHeadAccuracies, a => Assert.InRange(a, 0.0, 1.0));
        }
    }

    [Fact]
    public void Halted_after_a_checkpoint_and_resumed_gives_the_uninterrupted_metrics()
    {
        string dir = Directory.CreateTempSubdirectory("dkd-mhd-resume-").FullName;
        try
        {
            var loaded = ExperimentConfigLoader.Load(null, [.. Small, "checkpoint.every=3"]);
            string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
            var setup = HostProcess.Build(loaded.Config);
            var reference = LocalRun.Run(setup);
            var first = LocalRun.Run(setup, checkpoints: new RunCheckpoints(dir, loaded.Config, hash) { HaltAfter = 9 });
            Assert.Equal("halted after the checkpoint of round 9", first.Error);
            var checkpoints = new RunCheckpoints(dir, loaded.Config, hash);
            var resumed = LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: checkpoints.Open());
            Assert.Null(resumed.Error);
            Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
            Assert.Equal(reference.FinalAgentParameters, resumed.FinalAgentParameters);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
