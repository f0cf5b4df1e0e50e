using System.Diagnostics;
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

    /// <summary>The built dkd apphost next to the test assembly (the Cli project's build output is copied here).</summary>
    public static ProcessStartInfo DkdProcess(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dkd")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        return info;
    }

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
        using (var run = Process.Start(DkdProcess("run", config, "--out", root))!)
        {
            var drain = Task.WhenAll(run.StandardOutput.ReadToEndAsync(), run.StandardError.ReadToEndAsync());
            var watch = Stopwatch.StartNew();
            int round = 0;
            while (round < killAfter && !run.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10);
                round = Directory.Exists(root) ? Directory.GetDirectories(root).Sum(ManifestRound) : 0;
            }
            Assert.False(run.HasExited, $"the run ended before it could be killed (checkpoint round {round})");
            run.Kill();
            await run.WaitForExitAsync();
            await drain;
            Assert.Equal(137, run.ExitCode);
        }
        return Directory.GetDirectories(root).Single();
    }

    /// <summary>Runs <c>dkd resume DIR</c> as a new process; it must succeed and name DIR.</summary>
    public static async Task Resume(string runDir)
    {
        using var resume = Process.Start(DkdProcess("resume", runDir))!;
        var stdout = resume.StandardOutput.ReadToEndAsync();
        var stderr = resume.StandardError.ReadToEndAsync();
        await resume.WaitForExitAsync();
        Assert.True(resume.ExitCode == 0, await stderr);
        Assert.Equal(runDir, ResultsDir(await stdout));
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
