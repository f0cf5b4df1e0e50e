using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>
/// A run stopped right after a checkpoint and resumed from it ends exactly like an uninterrupted run, in either mode.
/// Synchronous: metrics (with the loss sums of an open evaluation window carried over), final accuracies and byte counts.
/// Asynchronous (stopped mid-iteration for most agents, messages in flight, partial metrics rows pending): also
/// events.jsonl, summary counts and final models — with random latencies, drops, stragglers, churn and staleness waits.
/// </summary>
[Collection("engine")]
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Messy =
    [
        "mode=async", "agents=4", "rounds=12", "eval-every=4", "checkpoint.every=3",
        "network.latency.dist=lognormal", "network.latency.median=15ms", "network.latency.sigma=0.8", "network.drop=0.1",
        "network.max-staleness=1", "network.wait-timeout=30ms", "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=3",
        "churn.kind=bernoulli", "churn.p-offline=0.15", "churn.period=60ms",
    ];

    private static readonly string[] Mhd =
        ["algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.2", "algorithm.mhd.public-batch-size=8", "dataset.synthetic.train-size=800"];

    private static string Stats(AsyncStats s) =>
        $"{s.Delivered} {s.Dropped} {s.Lost} {s.Combines} {s.TimedOutCombines} {s.ChurnTransitions} {string.Join(',', s.Staleness)}";

    /// <summary>Evaluations after rounds 4, 8, 12; checkpoints after 3, 6, 9, 12. The halts at 6 and 9 fall between
    /// evaluations, so the loss sums of the open evaluation window must carry over too.</summary>
    private static string[] Sets(string mode, string algorithm, int threads) => mode == "sync"
        ? [.. TinySync.Sets, $"algorithm.name={algorithm}", "rounds=12", "eval-every=4", "checkpoint.every=3"]
        : [.. TinySync.Sets, .. Messy, $"threads={threads}", .. algorithm == "mhd" ? Mhd : [$"algorithm.name={algorithm}"]];

    [Theory]
    [InlineData("sync", "qgm", 1)]
    [InlineData("sync", "ccl", 1)]
    [InlineData("sync", "choco", 1)]
    [InlineData("sync", "sparse-dpsgd", 1)]
    [InlineData("async", "qgm", 1)]
    [InlineData("async", "qgm", 2)]
    [InlineData("async", "ccl", 2)]
    [InlineData("async", "dpsgd", 1)]
    [InlineData("async", "mhd", 2)]
    [InlineData("async", "choco", 2)]
    [InlineData("async", "sparse-dpsgd", 1)]
    public void Halted_twice_and_resumed_gives_the_uninterrupted_run(string mode, string algorithm, int threads)
    {
        bool isAsync = mode == "async";
        var loaded = ExperimentConfigLoader.Load(null, Sets(mode, algorithm, threads));
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var setup = HostProcess.Build(config);
        CheckpointSupport.Verify(setup);

        // Asynchronous runs also write events.jsonl, which must come out byte-identical.
        string referenceEvents = Path.Combine(_dir, "reference.jsonl");
        RunResult reference;
        using (var log = isAsync ? new EventsJsonl(referenceEvents) : null) reference = LocalRun.Run(setup, asyncObserver: log);   // no checkpoints at all
        Assert.Null(reference.Error);

        string events = Path.Combine(_dir, "events.jsonl");
        RunResult first;
        using (var log = isAsync ? new EventsJsonl(events) : null)
            first = LocalRun.Run(setup, asyncObserver: log, checkpoints: new RunCheckpoints(_dir, config, hash) { HaltAfter = 6 });
        Assert.Equal("halted after the checkpoint of round 6", first.Error);
        if (isAsync) File.AppendAllText(events, "{\"event\":\"written after the checkpoint\"}\n");   // what a killed process may have written after its checkpoint must go
        else Assert.Single(first.Metrics);

        var second = Resume(setup, config, hash, isAsync ? events : null, haltAfter: 9, expectedRound: 6, expectedRows: 1);
        Assert.Equal("halted after the checkpoint of round 9", second.Error);
        var third = Resume(setup, config, hash, isAsync ? events : null, haltAfter: -1, expectedRound: 9, expectedRows: 2);
        Assert.Null(third.Error);

        Assert.Equal(Deterministic(reference.Metrics), Deterministic(third.Metrics));
        Assert.Equal(3, third.Metrics.Count);
        Assert.Equal(reference.FinalAgentAccuracies, third.FinalAgentAccuracies);
        Assert.Equal(reference.BytesPerAgent, third.BytesPerAgent);
        Assert.Equal(reference.BytesByKind.OrderBy(kv => kv.Key), third.BytesByKind.OrderBy(kv => kv.Key));
        if (isAsync)
        {
            Assert.Equal(File.ReadAllBytes(referenceEvents), File.ReadAllBytes(events));
            Assert.Equal(Stats(reference.Async!), Stats(third.Async!));
            Assert.True(reference.Async!.Dropped > 0 && reference.Async.ChurnTransitions > 0, Stats(reference.Async));
            Assert.Equal(reference.FinalAgentParameters, third.FinalAgentParameters);
        }
        // Only the last committed round is kept.
        var left = Directory.GetFileSystemEntries(Path.Combine(_dir, "checkpoint")).Select(Path.GetFileName).Order();
        Assert.Equal(["manifest.json", "round-12"], left);
    }

    /// <summary>Resumes from the last checkpoint; <paramref name="events"/> (asynchronous runs) continues from its saved length.</summary>
    private RunResult Resume(HostProcess setup, Core.Config.ExperimentConfig config, string hash, string? events, int haltAfter, int expectedRound,
        int expectedRows)
    {
        var checkpoints = new RunCheckpoints(_dir, config, hash) { HaltAfter = haltAfter };
        if (events is null)
        {
            var state = checkpoints.Open();
            Assert.Equal(expectedRound, state.CompletedRounds);
            Assert.Equal(expectedRows, state.Rows.Count);
            return LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: state);
        }
        var asyncState = checkpoints.OpenAsync();
        Assert.Equal(expectedRound, asyncState.CompletedRounds);
        Assert.True(asyncState.EventsBytes > 0);
        using var log = EventsJsonl.Continue(events, asyncState.EventsBytes);
        return LocalRun.Run(setup, asyncObserver: log, checkpoints: checkpoints, resumeFrom: asyncState);
    }

    [Fact]
    public void A_synchronous_checkpoint_does_not_resume_an_asynchronous_run()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, "rounds=4", "checkpoint.every=2"]);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        Assert.Null(LocalRun.Run(HostProcess.Build(loaded.Config), checkpoints: new RunCheckpoints(_dir, loaded.Config, hash)).Error);
        var e = Assert.Throws<InputException>(() => new RunCheckpoints(_dir, loaded.Config, hash).OpenAsync());
        Assert.Contains("does not match this run's state: expected state 'async-coordinator', found 'coordinator'", e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_config_is_refused()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, "rounds=4", "checkpoint.every=2"]);
        var setup = HostProcess.Build(loaded.Config);
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
