using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>The synchronous engine stopped right after a checkpoint and resumed from it ends exactly like an uninterrupted run.</summary>
[Collection("engine")]
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("qgm")]
    [InlineData("ccl")]
    [InlineData("choco")]
    [InlineData("sparse-dpsgd")]
    public void Halted_twice_and_resumed_gives_the_uninterrupted_metrics(string algorithm)
    {
        // Evaluations after rounds 4, 8, 12; checkpoints after 3, 6, 9, 12. The halts at 6 and 9 fall between
        // evaluations, so the loss sums of the open evaluation window must carry over too.
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, $"algorithm.name={algorithm}", "rounds=12", "eval-every=4", "checkpoint.every=3"]);
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var setup = ExperimentSetup.Build(config);
        var reference = LocalRun.Run(setup);   // no checkpoints at all
        Assert.Null(reference.Error);

        var first = LocalRun.Run(setup, checkpoints: new RunCheckpoints(_dir, config, hash) { HaltAfter = 6 });
        Assert.Equal("halted after the checkpoint of round 6", first.Error);
        Assert.Single(first.Metrics);

        var second = Resume(setup, config, hash, haltAfter: 9, expectedRound: 6, expectedRows: 1);
        Assert.Equal("halted after the checkpoint of round 9", second.Error);
        var third = Resume(setup, config, hash, haltAfter: -1, expectedRound: 9, expectedRows: 2);
        Assert.Null(third.Error);

        Assert.Equal(Deterministic(reference.Metrics), Deterministic(third.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, third.FinalAgentAccuracies);
        Assert.Equal(reference.BytesPerAgent, third.BytesPerAgent);
        Assert.Equal(reference.BytesByKind.OrderBy(kv => kv.Key), third.BytesByKind.OrderBy(kv => kv.Key));
        // Only the last committed round is kept.
        var left = Directory.GetFileSystemEntries(Path.Combine(_dir, "checkpoint")).Select(Path.GetFileName).Order();
        Assert.Equal(["manifest.json", "round-12"], left);
    }

    private RunResult Resume(ExperimentSetup setup, Core.Config.ExperimentConfig config, string hash, int haltAfter, int expectedRound, int expectedRows)
    {
        var checkpoints = new RunCheckpoints(_dir, config, hash) { HaltAfter = haltAfter };
        var state = checkpoints.Open();
        Assert.Equal(expectedRound, state.CompletedRounds);
        Assert.Equal(expectedRows, state.Rows.Count);
        return LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: state);
    }

    [Fact]
    public void A_checkpoint_of_another_config_is_refused()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, "rounds=4", "checkpoint.every=2"]);
        var setup = ExperimentSetup.Build(loaded.Config);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        Assert.Null(LocalRun.Run(setup, checkpoints: new RunCheckpoints(_dir, loaded.Config, hash)).Error);
        var other = new RunCheckpoints(_dir, loaded.Config, CheckpointFormat.ConfigHash(loaded.ResolvedText + "# edited\n"));
        var e = Assert.Throws<InputException>(() => other.Open());
        Assert.EndsWith("was written for a different configuration (config.conf changed since the run started)", e.Message);
    }

    [Fact]
    public void Realtime_checkpoints_are_refused_up_front()
    {
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["mode=realtime", "checkpoint.every=5"]));
        Assert.Equal("experiment.checkpoint.every = 5: checkpoints are supported with experiment.mode = sync or async, not realtime (set experiment.checkpoint.every = 0)", e.Message);
    }

    /// <summary>A method that has not opted in (as any new method before it implements ICheckpointable on its own class).</summary>
    private sealed class NotCheckpointable(IGradientSource source) : GossipAlgorithm(source, new MixingRow(0, 1, [], []), new SgdSettings(0, false, 0),
        new LearningRateSchedule(0.1), 1)
    {
        public override void LocalWork(int round) { }
        protected override void CombinePhase(int round, int phase) { }
    }

    private sealed class NoSource : IGradientSource
    {
        private readonly float[] _x = [0];
        public Span<float> Parameters => _x;
        public Span<float> Gradients => _x;
        public double ComputeGradient() => 0;
        public void Dispose() { }
    }

    private sealed class Probe(IAgentAlgorithm algorithm) : IAgentRuntime
    {
        public int Id => 0;
        public IAgentAlgorithm Algorithm => algorithm;
        public double EvaluateAccuracy() => 0;
        public void Dispose() => algorithm.Dispose();
    }

    [Fact]
    public void An_algorithm_without_checkpoint_support_is_refused_with_one_line_naming_key_and_algorithm()
    {
        var config = ExperimentConfigLoader.Load(null, ["algorithm.name=idkd", "dataset.public-fraction=0.1", "checkpoint.every=50"]).Config;
        var e = Assert.Throws<InputException>(() => CheckpointSupport.Verify(config, () => new Probe(new NotCheckpointable(new NoSource()))));
        Assert.Equal("experiment.checkpoint.every = 50: algorithm 'idkd' does not support checkpoints yet " +
            "(NotCheckpointable does not implement ICheckpointable itself); set experiment.checkpoint.every = 0", e.Message);
        // Without checkpoints nothing is asked of the algorithm.
        CheckpointSupport.Verify(config with { CheckpointEvery = 0 }, () => throw new InvalidOperationException("not built"));
    }
}
