using DecentralizedKD.Actors;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>
/// IDKD, FedAvg and FedDKD halted right after a checkpoint and resumed end exactly like an uninterrupted run: every
/// metrics.csv column but wall_s, and everything agents.csv is made of (final accuracies and parameters, bytes,
/// IDKD's public-sample counts). Every run gets a setup of its own, so nothing carries over outside the checkpoint.
/// </summary>
[Collection("engine")]
public sealed class KdResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-kd-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    // 12 rounds, exchanges end rounds 4, 7 and 10 (counted from 1); halts after 6 and 9: one exchange before the first
    // halt, one between the halts (relaying the labels selected before the first), one after the second.
    [InlineData("algorithm.name=idkd", "dataset.public-fraction=0.25", "dataset.synthetic.separability=6", "optimizer.lr=0.2",
        "algorithm.idkd.start=0.34", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.2")]
    [InlineData("algorithm.name=idkd", "dataset.public-fraction=0.25", "dataset.synthetic.separability=6", "optimizer.lr=0.2",
        "algorithm.idkd.start=0.34", "algorithm.idkd.period=0.25", "algorithm.idkd.calibration=youden", "algorithm.idkd.validation-fraction=0.2")]
    // 3 clients and the server (agent 3), which writes its own state file.
    [InlineData("algorithm.name=fedavg", "optimizer.local-steps=2")]
    // All phases of a round (upload, S distillation steps, broadcast) lie between two checkpoints.
    [InlineData("algorithm.name=feddkd", "algorithm.feddkd.steps=2", "algorithm.feddkd.kd-batches=2", "algorithm.feddkd.lr=0.05")]
    public void Halted_twice_and_resumed_gives_the_uninterrupted_run(params string[] sets)
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. TinySync.Sets, .. sets, "rounds=12", "eval-every=4", "checkpoint.every=3"]);
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var referenceSetup = HostProcess.Build(config);
        var reference = LocalRun.Run(referenceSetup);   // no checkpoints at all
        Assert.Null(reference.Error);

        var first = LocalRun.Run(HostProcess.Build(config), checkpoints: new RunCheckpoints(_dir, config, hash) { HaltAfter = 6 });
        Assert.Equal("halted after the checkpoint of round 6", first.Error);
        Assert.Equal(config.AgentCount, Directory.GetFiles(Path.Combine(_dir, "checkpoint", "round-6"), "agent-*.bin").Length);
        Assert.Equal(config.AgentCount, CheckpointManifest.Read(Path.Combine(_dir, "checkpoint", "manifest.json")).Agents);

        Assert.Equal("halted after the checkpoint of round 9", Resume(config, hash, haltAfter: 9, expectedRound: 6).Result.Error);
        var (lastSetup, last) = Resume(config, hash, haltAfter: -1, expectedRound: 9);
        Assert.Null(last.Error);

        Assert.Equal(Deterministic(reference.Metrics), Deterministic(last.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, last.FinalAgentAccuracies);
        Assert.Equal(reference.FinalAgentParameters, last.FinalAgentParameters);
        Assert.Equal(reference.BytesPerAgent, last.BytesPerAgent);
        Assert.Equal(reference.BytesByKind.OrderBy(kv => kv.Key), last.BytesByKind.OrderBy(kv => kv.Key));
        Assert.Equal(TinySync.PublicCounts(referenceSetup), TinySync.PublicCounts(lastSetup));
        if (config.Algorithm.Name == "idkd") Assert.Contains(TinySync.PublicCounts(lastSetup), c => c.Selected > 0);
    }

    private (HostProcess Setup, RunResult Result) Resume(Core.Config.ExperimentConfig config, string hash, int haltAfter, int expectedRound)
    {
        var checkpoints = new RunCheckpoints(_dir, config, hash) { HaltAfter = haltAfter };
        var state = checkpoints.Open();
        Assert.Equal(expectedRound, state.CompletedRounds);
        var setup = HostProcess.Build(config);
        return (setup, LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: state));
    }
}
