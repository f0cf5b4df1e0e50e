using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;
using static DecentralizedKD.Cli.Tests.ResumeCli;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd resume</c> end to end, in either mode: a real <c>dkd run</c> process killed with SIGKILL once a checkpoint
/// exists, resumed by a real <c>dkd resume</c> process, ends with the uninterrupted run's metrics.csv (every column but
/// wall_s) and agents.csv — asynchronous runs (killed with messages in flight, agents mid-iteration, churn, drops and
/// staleness waits) also with its events.jsonl and asynchronous summary; a checkpoint that is corrupt, of another
/// config or version, or missing is refused with one line and exit code 2.
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

    private const string TinyAsync = """
        experiment {
          name = "tiny-async"
          agents = 4
          rounds = 90
          eval-every = 15
          checkpoint.every = 3
          mode = async
          threads = 2
          dataset { name = synthetic, synthetic { train-size = 800, test-size = 200, shape = [1, 8, 8] } }
          partition.kind = iid
          model { name = mlp, hidden = [16] }
          algorithm.name = qgm
          network {
            latency { dist = lognormal, median = 15ms, sigma = 0.8 }
            drop = 0.1, max-staleness = 1, wait-timeout = 30ms
          }
          compute.stragglers { fraction = 0.25, slowdown = 3 }
          churn { kind = bernoulli, p-offline = 0.15, period = 60ms }
        }
        """;

    private string Config(string name, string text = TinyConfig)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The summary's asynchronous section (message counts, staleness histogram); the rest has wall times and memory.</summary>
    private static string AsyncSection(string runDir)
    {
        string text = File.ReadAllText(Path.Combine(runDir, "summary.md"));
        int start = text.IndexOf("## Asynchronous run", StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        int end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Theory]
    [InlineData("sync", "qgm", "algorithm.name = qgm")]
    // Exchanges end rounds 36, 126, 216 and 306: the kill (after round 60 or later) falls after the first, and the resumed
    // run relays the labels selected before it; agents.csv's public_flagged/public_samples must come back too.
    [InlineData("sync", "idkd", "algorithm { name = idkd, idkd { start = 0.1, period = 0.25, threshold = 0.2 } }\n" +
        "dataset { public-fraction = 0.25, synthetic.separability = 6 }")]
    // 4 clients and the server (agent 4), each with its own state file; every round has upload, 2 KD steps, broadcast.
    [InlineData("sync", "feddkd", "algorithm { name = feddkd, feddkd { steps = 2, kd-batches = 2, lr = 0.05 } }")]
    // 90 rounds evaluated every 15, checkpoints every 3 (long enough to be killed mid-run).
    [InlineData("async", "qgm", "algorithm.name = qgm")]
    public async Task Killed_run_resumed_by_a_new_process_ends_with_the_uninterrupted_outputs(string mode, string name, string algorithm)
    {
        bool isAsync = mode == "async";
        // Synchronous: long enough that the kill, soon after round 60, always lands well before the end: a tiny round
        // takes about a millisecond, and a 36-round run could finish between the poll that saw its checkpoint and the kill.
        string longer = isAsync ? TinyAsync : TinyConfig.Replace("rounds = 36", "rounds = 360").Replace("eval-every = 6", "eval-every = 60")
            .Replace("checkpoint.every = 3", "checkpoint.every = 30");
        var (rounds, every, killAfter) = isAsync ? (90, 3, 6) : (360, 30, 60);
        string config = Config($"tiny-{mode}-{name}.conf", longer.Replace("algorithm.name = qgm", algorithm));
        var (code, output, err) = Dkd("run", config, "--out", Path.Combine(_dir, "reference"));
        Assert.True(code == 0, err);
        string referenceDir = ResultsDir(output);
        var reference = Metrics(referenceDir);
        Assert.Equal(7, reference.Length);   // header + six evaluation rows (rounds 60, 120, …, 360 or 15, 30, …, 90)

        string killedDir = await RunAndKill(config, Path.Combine(_dir, "killed"), killAfter: killAfter);
        int committed = ManifestRound(killedDir);
        Assert.InRange(committed, killAfter, rounds - every);
        Assert.Equal(0, committed % every);

        await Resume(killedDir);
        Assert.Equal(reference, Metrics(killedDir));
        Assert.Equal(File.ReadAllText(Path.Combine(referenceDir, "agents.csv")), File.ReadAllText(Path.Combine(killedDir, "agents.csv")));
        if (name == "idkd")   // not vacuous: labelled public samples were fine-tuned on
            Assert.Contains(File.ReadAllLines(Path.Combine(killedDir, "agents.csv")).Skip(1), line => line.Split(',')[^1] != "0");
        if (isAsync)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(referenceDir, "events.jsonl")), File.ReadAllBytes(Path.Combine(killedDir, "events.jsonl")));
            Assert.Equal(AsyncSection(referenceDir), AsyncSection(killedDir));
        }
        Assert.Equal(rounds, ManifestRound(killedDir));
    }

    /// <summary>A finished 6-round run with checkpoints every 3 rounds, evaluated every 3; returns its directory.</summary>
    private string FinishedRun(string mode)
    {
        string text = mode == "async"
            ? TinyAsync.Replace("rounds = 90", "rounds = 6").Replace("eval-every = 15", "eval-every = 3")
            : TinyConfig.Replace("rounds = 36", "rounds = 6").Replace("eval-every = 6", "eval-every = 3");
        var (code, output, err) = Dkd("run", Config($"finished-{mode}.conf", text), "--out", Path.Combine(_dir, "finished"));
        Assert.True(code == 0, err);
        return ResultsDir(output);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public void A_finished_run_resumes_to_the_same_outputs_and_damaged_checkpoints_are_one_line_and_exit_code_2(string mode)
    {
        string dir = FinishedRun(mode);
        // Resuming a finished run is allowed: nothing left to train, the outputs are written again, identically.
        var before = Metrics(dir);
        string events = Path.Combine(dir, "events.jsonl");
        byte[]? eventsBefore = mode == "async" ? File.ReadAllBytes(events) : null;
        var (code, output, err) = Dkd("resume", mode == "async" ? dir : Path.Combine(dir, "checkpoint"));
        Assert.True(code == 0, err);
        Assert.Equal(dir, ResultsDir(output));
        Assert.Equal(before, Metrics(dir));
        if (eventsBefore is not null) Assert.Equal(eventsBefore, File.ReadAllBytes(events));

        if (mode == "async") RefuseDamagedAsync(dir);
        else RefuseDamagedSync(dir);
    }

    private void RefuseDamagedSync(string dir)
    {
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
        // A config.conf without a key this build knows was written by an older build: its default must not slip in.
        File.WriteAllText(configPath, string.Join('\n', configText.Split('\n').Where(l => !l.StartsWith("experiment.algorithm.choco.scope ", StringComparison.Ordinal))));
        AssertRefused(dir, $"{configPath} has no experiment.algorithm.choco.scope = \"tensor\" (a key this build added");
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

    private static void RefuseDamagedAsync(string dir)
    {
        string coordinator = Path.Combine(dir, "checkpoint", "round-6", "coordinator.bin");
        var good = File.ReadAllBytes(coordinator);
        File.WriteAllBytes(coordinator, good[..(good.Length - 7)]);
        AssertRefused(dir, $"checkpoint file '{coordinator}' is corrupt (checksum mismatch)");
        File.WriteAllBytes(coordinator, good);

        string events = Path.Combine(dir, "events.jsonl");
        File.WriteAllText(events, "");
        AssertRefused(dir, $"'{events}' has 0 bytes, fewer than the");
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
