using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;
using static DecentralizedKD.Cli.Tests.ResumeCli;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd resume</c> end to end: a real <c>dkd run</c> process killed with SIGKILL once a checkpoint exists, resumed
/// by a real <c>dkd resume</c> process, ends with the uninterrupted run's metrics.csv (every column but wall_s); and a
/// checkpoint that is corrupt, of another config or version, or missing is refused with one line and exit code 2.
/// </summary>
[Collection("engine")]
public sealed class ResumeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-resume-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string TinyConfig = """
        experiment {
          name = "tiny"
          agents = 4
          rounds = 36
          eval-every = 6
          checkpoint.every = 3
          dataset { name = synthetic, synthetic { train-size = 800, test-size = 200, shape = [1, 8, 8] } }
          partition.kind = iid
          model { name = mlp, hidden = [16] }
          algorithm.name = qgm
        }
        """;

    private string Config(string name, string text = TinyConfig)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Theory]
    [InlineData("qgm", "algorithm.name = qgm")]
    // Exchanges end rounds 36, 126, 216 and 306: the kill (after round 60 or later) falls after the first, and the resumed
    // run relays the labels selected before it; agents.csv's public_flagged/public_samples must come back too.
    [InlineData("idkd", "algorithm { name = idkd, idkd { start = 0.1, period = 0.25, threshold = 0.2 } }\n" +
        "dataset { public-fraction = 0.25, synthetic.separability = 6 }")]
    // 4 clients and the server (agent 4), each with its own state file; every round has upload, 2 KD steps, broadcast.
    [InlineData("feddkd", "algorithm { name = feddkd, feddkd { steps = 2, kd-batches = 2, lr = 0.05 } }")]
    public async Task Killed_run_resumed_by_a_new_process_ends_with_the_uninterrupted_metrics(string name, string algorithm)
    {
        // Long enough that the kill, soon after round 60, always lands well before the end: a tiny round takes about a
        // millisecond, and a 36-round run could finish between the poll that saw its checkpoint and the kill.
        string longer = TinyConfig.Replace("rounds = 36", "rounds = 360").Replace("eval-every = 6", "eval-every = 60")
            .Replace("checkpoint.every = 3", "checkpoint.every = 30");
        string config = Config($"tiny-{name}.conf", longer.Replace("algorithm.name = qgm", algorithm));
        var (code, output, err) = Dkd("run", config, "--out", Path.Combine(_dir, "reference"));
        Assert.True(code == 0, err);
        var reference = Metrics(ResultsDir(output));
        Assert.Equal(7, reference.Length);   // header + rounds 60, 120, …, 360

        string killedDir = await RunAndKill(config, Path.Combine(_dir, "killed"), killAfter: 60);
        int committed = ManifestRound(killedDir);
        Assert.InRange(committed, 60, 330);
        Assert.Equal(0, committed % 30);

        await Resume(killedDir);
        Assert.Equal(reference, Metrics(killedDir));
        Assert.Equal(File.ReadAllText(Path.Combine(ResultsDir(output), "agents.csv")), File.ReadAllText(Path.Combine(killedDir, "agents.csv")));
        if (name == "idkd")   // not vacuous: labelled public samples were fine-tuned on
            Assert.Contains(File.ReadAllLines(Path.Combine(killedDir, "agents.csv")).Skip(1), line => line.Split(',')[^1] != "0");
        Assert.Equal(360, ManifestRound(killedDir));
    }

    /// <summary>A finished 6-round run with checkpoints every 3 rounds; returns its directory.</summary>
    private string FinishedRun(string name)
    {
        string config = Config(name + ".conf", TinyConfig.Replace("rounds = 36", "rounds = 6").Replace("eval-every = 6", "eval-every = 3"));
        var (code, output, err) = Dkd("run", config, "--out", Path.Combine(_dir, name));
        Assert.True(code == 0, err);
        return ResultsDir(output);
    }

    [Fact]
    public void Corrupt_foreign_or_missing_checkpoints_are_one_line_and_exit_code_2()
    {
        string dir = FinishedRun("finished");
        // Resuming a finished run is allowed: nothing left to train, the outputs are written again, identically.
        var before = Metrics(dir);
        var (code, output, err) = Dkd("resume", Path.Combine(dir, "checkpoint"));
        Assert.True(code == 0, err);
        Assert.Equal(dir, ResultsDir(output));
        Assert.Equal(before, Metrics(dir));

        string agent = Path.Combine(dir, "checkpoint", "round-6", "agent-2.bin");
        var good = File.ReadAllBytes(agent);
        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        File.WriteAllBytes(agent, flipped);
        AssertRefused(dir, $"checkpoint file '{agent}' is corrupt (checksum mismatch)");
        File.Delete(agent);
        AssertRefused(dir, $"checkpoint file '{agent}' cannot be read");
        File.WriteAllBytes(agent, good);

        string configPath = Path.Combine(dir, "config.conf");
        string configText = File.ReadAllText(configPath);
        File.WriteAllText(configPath, configText.Replace("experiment.optimizer.lr = \"0.05\"", "experiment.optimizer.lr = \"0.1\""));
        AssertRefused(dir, "was written for a different configuration (config.conf changed since the run started)");
        File.WriteAllText(configPath, configText);

        string manifest = Path.Combine(dir, "checkpoint", "manifest.json");
        string manifestText = File.ReadAllText(manifest);
        File.WriteAllText(manifest, manifestText.Replace($"\"version\": {CheckpointFormat.Version}", "\"version\": 7"));
        AssertRefused(dir, $"has format version 7; this build reads version {CheckpointFormat.Version}");
        File.WriteAllText(manifest, manifestText[..(manifestText.Length / 2)]);
        AssertRefused(dir, $"checkpoint manifest '{manifest}' is corrupt");
        File.Delete(manifest);
        AssertRefused(dir, $"no checkpoint: '{manifest}' not found");
        AssertRefused(Path.Combine(_dir, "nowhere"), "run directory");
    }

    [Fact]
    public void Runs_without_checkpoints_and_realtime_checkpoints_are_refused_up_front()
    {
        var (code, output, _) = Dkd("run", Config("plain.conf", TinyConfig.Replace("checkpoint.every = 3", "checkpoint.every = 0").Replace("rounds = 36", "rounds = 2")),
            "--out", Path.Combine(_dir, "plain"));
        Assert.Equal(0, code);
        AssertRefused(ResultsDir(output), "experiment.checkpoint.every = 0, so the run wrote no checkpoint");
        var (realtimeCode, _, realtimeErr) = Dkd("run", Config("realtime.conf"), "--set", "mode=realtime", "--out", Path.Combine(_dir, "realtime"));
        Assert.Equal(2, realtimeCode);
        Assert.Equal("error: experiment.checkpoint.every = 3: checkpoints are supported with experiment.mode = sync or async, not realtime " +
            "(set experiment.checkpoint.every = 0)", realtimeErr.TrimEnd('\n'));
        Assert.False(Directory.Exists(Path.Combine(_dir, "realtime")));
    }
}
