using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>
/// Asynchronous mode stopped right after a checkpoint (mid-iteration for most agents, messages in flight, partial
/// metrics rows pending) and resumed from it ends exactly like an uninterrupted run: metrics, events.jsonl, summary
/// counts, final models and byte counts — with random latencies, drops, stragglers, churn and staleness waits.
/// </summary>
[Collection("engine")]
public sealed class AsyncResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-async-resume-").FullName;

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

    [Theory]
    [InlineData("qgm", 1)]
    [InlineData("qgm", 2)]
    [InlineData("ccl", 2)]
    [InlineData("dpsgd", 1)]
    [InlineData("mhd", 2)]
    [InlineData("choco", 2)]
    [InlineData("sparse-dpsgd", 1)]
    public void Halted_twice_and_resumed_gives_the_uninterrupted_run(string algorithm, int threads)
    {
        string[] sets = [.. TinySync.Sets, .. Messy, $"threads={threads}", .. algorithm == "mhd" ? Mhd : [$"algorithm.name={algorithm}"]];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var setup = ExperimentSetup.Build(config);
        CheckpointSupport.Verify(setup);

        string referenceEvents = Path.Combine(_dir, "reference.jsonl");
        RunResult reference;
        using (var log = new EventsJsonl(referenceEvents)) reference = LocalRun.Run(setup, asyncObserver: log);
        Assert.Null(reference.Error);

        string events = Path.Combine(_dir, "events.jsonl");
        RunResult first;
        using (var log = new EventsJsonl(events))
            first = LocalRun.Run(setup, asyncObserver: log, checkpoints: new RunCheckpoints(_dir, config, hash) { HaltAfter = 6 });
        Assert.Equal("halted after the checkpoint of round 6", first.Error);
        // What a killed process may have written after its checkpoint must go.
        File.AppendAllText(events, "{\"event\":\"written after the checkpoint\"}\n");

        var second = Resume(setup, config, hash, events, haltAfter: 9, expectedRound: 6);
        Assert.Equal("halted after the checkpoint of round 9", second.Error);
        var third = Resume(setup, config, hash, events, haltAfter: -1, expectedRound: 9);
        Assert.Null(third.Error);

        Assert.Equal(Deterministic(reference.Metrics), Deterministic(third.Metrics));
        Assert.Equal(3, third.Metrics.Count);
        Assert.Equal(File.ReadAllBytes(referenceEvents), File.ReadAllBytes(events));
        Assert.Equal(Stats(reference.Async!), Stats(third.Async!));
        Assert.True(reference.Async!.Dropped > 0 && reference.Async.ChurnTransitions > 0, Stats(reference.Async));
        Assert.Equal(reference.FinalAgentAccuracies, third.FinalAgentAccuracies);
        Assert.Equal(reference.FinalAgentParameters, third.FinalAgentParameters);
        Assert.Equal(reference.BytesPerAgent, third.BytesPerAgent);
        Assert.Equal(reference.BytesByKind.OrderBy(kv => kv.Key), third.BytesByKind.OrderBy(kv => kv.Key));
        var left = Directory.GetFileSystemEntries(Path.Combine(_dir, "checkpoint")).Select(Path.GetFileName).Order();
        Assert.Equal(["manifest.json", "round-12"], left);
    }

    private RunResult Resume(ExperimentSetup setup, Core.Config.ExperimentConfig config, string hash, string events, int haltAfter, int expectedRound)
    {
        var checkpoints = new RunCheckpoints(_dir, config, hash) { HaltAfter = haltAfter };
        var state = checkpoints.OpenAsync();
        Assert.Equal(expectedRound, state.CompletedRounds);
        Assert.True(state.EventsBytes > 0);
        using var log = EventsJsonl.Continue(events, state.EventsBytes);
        return LocalRun.Run(setup, asyncObserver: log, checkpoints: checkpoints, resumeFrom: state);
    }

    [Fact]
    public void A_synchronous_checkpoint_does_not_resume_an_asynchronous_run()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, "rounds=4", "checkpoint.every=2"]);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        Assert.Null(LocalRun.Run(ExperimentSetup.Build(loaded.Config), checkpoints: new RunCheckpoints(_dir, loaded.Config, hash)).Error);
        var e = Assert.Throws<InputException>(() => new RunCheckpoints(_dir, loaded.Config, hash).OpenAsync());
        Assert.Contains("does not match this run's state: expected state 'async-coordinator', found 'coordinator'", e.Message);
    }
}
