using System.Text.Json;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>Shared steps of the <c>dkd resume</c> tests: in-process and real-process dkd, results directories, a run killed with SIGKILL.</summary>
internal static class ResumeCli
{
    public static string ResultsDir(string stdout) => stdout.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();

    /// <summary>metrics.csv without the wall_s column.</summary>
    public static string[] Metrics(string runDir) => DeterministicMetrics.DeterministicLines(Path.Combine(runDir, "metrics.csv"));

    public static int ManifestRound(string runDir)
    {
        string manifest = Path.Combine(runDir, "checkpoint", "manifest.json");
        if (!File.Exists(manifest)) return 0;
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));   // replaced by rename: never half-written
        return json.RootElement.GetProperty("round").GetInt32();
    }

    /// <summary>
    /// Starts <c>dkd run CONFIG --out ROOT</c> as a real process and kills it (SIGKILL: no shutdown hooks, no flushing)
    /// as soon as a checkpoint of round <paramref name="killAfter"/> or later is committed — wherever the run happens to
    /// be then. Returns the killed run's directory.
    /// </summary>
    public static async Task<string> RunAndKill(string config, string root, int killAfter)
    {
        using (var run = ChildProcess.Dkd("dkd run", "run", config, "--out", root))
        {
            int Round() => Directory.Exists(root) ? Directory.GetDirectories(root).Sum(ManifestRound) : 0;
            await Bounded.Until(() => Round() >= killAfter || run.HasExited, $"a checkpoint of round {killAfter}", 60, () => run.Tail());
            Assert.False(run.HasExited, $"the run ended before it could be killed (checkpoint round {Round()})\n{run.Tail()}");
            run.Kill();
            Assert.Equal(137, await run.WaitForExit(60));
        }
        return Directory.GetDirectories(root).Single();
    }

    /// <summary>Runs <c>dkd resume DIR</c> as a new process; it must succeed and name DIR.</summary>
    public static async Task Resume(string runDir)
    {
        using var resume = ChildProcess.Dkd("dkd resume", "resume", runDir);
        Assert.True(await resume.WaitForExit(300) == 0, resume.Tail());
        Assert.Equal(runDir, ResultsDir(resume.Stdout));
    }

    public static void AssertRefused(string runDir, string expected)
    {
        var (code, output, err) = DkdRunner.Dkd("resume", runDir);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, err);
    }
}
