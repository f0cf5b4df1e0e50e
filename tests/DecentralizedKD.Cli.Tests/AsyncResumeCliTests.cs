using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;
using static DecentralizedKD.Cli.Tests.ResumeCli;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd resume</c> of an asynchronous run end to end: a real <c>dkd run</c> process killed with SIGKILL once a
/// checkpoint exists (messages in flight, agents mid-iteration, churn, drops and staleness waits), resumed by a real
/// <c>dkd resume</c> process, ends with the uninterrupted run's metrics.csv (every column but wall_s), events.jsonl,
/// agents.csv and asynchronous summary; a damaged asynchronous checkpoint is refused with one line and exit code 2.
/// </summary>
[Collection("engine")]
public sealed class AsyncResumeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-async-resume-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

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

    private string Config(string text = TinyAsync)
    {
        string path = Path.Combine(_dir, "tiny-async.conf");
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
    [Fact]
    public async Task Killed_async_run_resumed_by_a_new_process_ends_with_the_uninterrupted_outputs()
    {
        string config = Config();
        var (code, output, err) = Dkd("run", config, "--out", Path.Combine(_dir, "reference"));
        Assert.True(code == 0, err);
        string referenceDir = ResultsDir(output);
        var reference = Metrics(referenceDir);
        Assert.Equal(7, reference.Length);   // header + rounds 15, 30, …, 90 (long enough to be killed mid-run)

        string killedDir = await RunAndKill(config, Path.Combine(_dir, "killed"), killAfter: 6);
        int committed = ManifestRound(killedDir);
        Assert.InRange(committed, 6, 87);
        Assert.Equal(0, committed % 3);

        await Resume(killedDir);
        Assert.Equal(reference, Metrics(killedDir));
        Assert.Equal(File.ReadAllBytes(Path.Combine(referenceDir, "events.jsonl")), File.ReadAllBytes(Path.Combine(killedDir, "events.jsonl")));
        Assert.Equal(File.ReadAllText(Path.Combine(referenceDir, "agents.csv")), File.ReadAllText(Path.Combine(killedDir, "agents.csv")));
        Assert.Equal(AsyncSection(referenceDir), AsyncSection(killedDir));
        Assert.Equal(90, ManifestRound(killedDir));
    }

    [Fact]
    public void A_damaged_async_checkpoint_is_refused_with_one_line()
    {
        var (code, output, err) = Dkd("run", Config(TinyAsync.Replace("rounds = 90", "rounds = 6").Replace("eval-every = 15", "eval-every = 3")),
            "--out", Path.Combine(_dir, "finished"));
        Assert.True(code == 0, err);
        string dir = ResultsDir(output);
        // Resuming a finished asynchronous run writes the same outputs again.
        var before = (Metrics(dir), File.ReadAllBytes(Path.Combine(dir, "events.jsonl")));
        var (again, againOut, againErr) = Dkd("resume", dir);
        Assert.True(again == 0, againErr);
        Assert.Equal(dir, ResultsDir(againOut));
        Assert.Equal(before.Item1, Metrics(dir));
        Assert.Equal(before.Item2, File.ReadAllBytes(Path.Combine(dir, "events.jsonl")));

        string coordinator = Path.Combine(dir, "checkpoint", "round-6", "coordinator.bin");
        var good = File.ReadAllBytes(coordinator);
        File.WriteAllBytes(coordinator, good[..(good.Length - 7)]);
        AssertRefused(dir, $"checkpoint file '{coordinator}' is corrupt (checksum mismatch)");
        File.WriteAllBytes(coordinator, good);

        string events = Path.Combine(dir, "events.jsonl");
        File.WriteAllText(events, "");
        AssertRefused(dir, $"'{events}' has 0 bytes, fewer than the");
    }
}
