using System.Diagnostics;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>
/// Checkpoints of a real 3-ActorSystem cluster (coordinator + 2 workers in this process, no shared state but the
/// coordinator's directory): a worker lost mid-run ends the run naming host and round and leaves the last committed
/// checkpoint, whose files are byte for byte the single-process run's (coordinator.bin but its wall times), and which a
/// single-process resume continues to the uninterrupted run's metrics.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ClusterCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _clusterDir = Directory.CreateTempSubdirectory("dkd-cluster-ckpt-").FullName;
    private readonly string _localDir = Directory.CreateTempSubdirectory("dkd-local-ckpt-").FullName;
    private readonly string _resumeDir = Directory.CreateTempSubdirectory("dkd-cluster-resume-").FullName;

    public void Dispose()
    {
        Directory.Delete(_clusterDir, true);
        Directory.Delete(_localDir, true);
        Directory.Delete(_resumeDir, true);
    }

    // 5 agents on 2 workers ({0,1,2}, {3,4}); MLP [100]: an agent's state (parameters + momentum, ~640 KB) is larger
    // than the smallest chunk (256 KB), so it travels chunked.
    private static readonly string[] Sets =
        ["agents=5", "rounds=8", "eval-every=2", "checkpoint.every=2", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp",
         "model.hidden=[100]", "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB", "topology.kind=ring"];

    [Fact]
    public async Task A_worker_lost_mid_run_leaves_a_committed_checkpoint_that_resumes_to_the_uninterrupted_metrics()
    {
        var loaded = ExperimentConfigLoader.Load(null, Sets);
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var setup = HostProcess.Build(config);

        // Checkpoints after rounds 2 and 4 commit; the coordinator pauses after round 5 while worker 1 stops.
        var pause = new PauseAt(5);
        var clock = new Stopwatch();   // logged, not asserted: the wait for the result is bounded instead
        string lost;
        ClusterRunResult result;
        await using (var cluster = InProcessCluster.Start(loaded, setup, pause, new RunCheckpoints(_clusterDir, config, hash)))
        {
            try
            {
                await Bounded.Within(pause.Reached.Task, "the coordinator to pause after round 5", 120);
                var second = cluster.WorkersInHostOrder[1];
                lost = second.Address.ToString();   // worker 1: agents 3, 4
                clock.Start();
                await second.System.Terminate();
                pause.Resume.Set();
                result = await cluster.Result(60);
                clock.Stop();
            }
            finally
            {
                pause.Resume.Set();
            }
        }
        string? error = result.Run.Error;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: {error}");
        Assert.NotNull(error);
        Assert.StartsWith($"worker host {lost} (worker 1, agents 3-4) ", error);
        Assert.Contains(" in round 5; ", error);
        Assert.EndsWith($"; the checkpoint after round 4 remains: resume with dkd resume {_clusterDir}", error);

        var checkpoints = new RunCheckpoints(_clusterDir, config, hash);
        Assert.Equal(4, CheckpointManifest.Read(checkpoints.ManifestPath).Round);

        // The same round's checkpoint of a single-process run: identical agent files, identical coordinator state but wall time.
        var local = new RunCheckpoints(_localDir, config, hash) { HaltAfter = 4 };
        Assert.Equal("halted after the checkpoint of round 4", LocalRun.Run(setup, checkpoints: local).Error);
        Assert.Equal(File.ReadAllText(local.ManifestPath), File.ReadAllText(checkpoints.ManifestPath));
        for (int i = 0; i < config.AgentCount; i++)
            Assert.Equal(File.ReadAllBytes(local.AgentFile(4, i)), File.ReadAllBytes(checkpoints.AgentFile(4, i)));
        var clusterState = checkpoints.Open();
        var localState = local.Open();
        Assert.Equal(Deterministic(localState.Rows), Deterministic(clusterState.Rows));
        Assert.Equal(Canonical(localState), Canonical(clusterState));

        // A copy of the checkpoint, resumed on a fresh cluster below (resuming commits newer rounds in place).
        CopyDirectory(checkpoints.Root, Path.Combine(_resumeDir, CheckpointFormat.DirectoryName));

        // Resumed in one process, the cluster run ends exactly like an uninterrupted single-process run.
        var reference = LocalRun.Run(setup);
        Assert.Null(reference.Error);
        var resumed = LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: clusterState);
        Assert.Null(resumed.Error);
        Assert.Equal(4, resumed.Metrics.Count);
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, resumed.FinalAgentAccuracies);
        Assert.Equal(reference.BytesPerAgent, resumed.BytesPerAgent);

        // Resumed on a fresh cluster (the workers get their agents' state files over the wire): the same. That cluster has
        // a run secret: a worker takes state files only from a coordinator that proved it, so they follow the handshake.
        var onCluster = new RunCheckpoints(_resumeDir, config, hash);
        string secretEnv = $"DKD_TEST_SECRET_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        Environment.SetEnvironmentVariable(secretEnv, "resume secret");
        var secured = ExperimentConfigLoader.Load(null, [.. Sets, $"cluster.secret-env={secretEnv}"]);
        Assert.Equal(loaded.Fingerprint, secured.Fingerprint);
        var again = await ResumeOnCluster(secured, setup, onCluster, onCluster.Open());
        Assert.Null(again.Run.Error);
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(again.Run.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, again.Run.FinalAgentAccuracies);
        Assert.Equal(reference.BytesPerAgent, again.Run.BytesPerAgent);
        Assert.Equal(8, CheckpointManifest.Read(onCluster.ManifestPath).Round);
        for (int i = 0; i < config.AgentCount; i++)
            Assert.Equal(File.ReadAllBytes(checkpoints.AgentFile(8, i)), File.ReadAllBytes(onCluster.AgentFile(8, i)));
    }

    private static async Task<ClusterRunResult> ResumeOnCluster(LoadedExperiment loaded, HostProcess setup, RunCheckpoints checkpoints, CoordinatorState state)
    {
        await using var cluster = InProcessCluster.Start(loaded, setup, checkpoints: checkpoints, resumeFrom: state);
        return await cluster.Result(120);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }

    /// <summary>The coordinator's state as bytes with every wall time set to 0 (the one field that differs by design).</summary>
    private static byte[] Canonical(CoordinatorState s)
    {
        var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
            (s with { WallSeconds = 0, Rows = s.Rows.Select(r => r with { WallS = 0 }).ToArray() }).Write(w);
        return stream.ToArray();
    }
}
