using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// The dkd executable as a separate process: what a user's terminal really gets on stderr (including anything the
/// logger might print) for a bad config, a bad setup and a bad CLI flag — one line and exit code 2.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("--set partition.alpha=0", "experiment.partition.alpha = 0")]
    [InlineData("--set topology.kind=torus --set agents=6", "perfect-square")]
    [InlineData("--set dataset.test-samples=5000", "experiment.dataset.test-samples = 5000")]
    [InlineData("--verbose", "unknown option --verbose")]
    public async Task Bad_input_prints_exactly_one_stderr_line(string extra, string expected)
    {
        string config = Path.Combine(_dir, "tiny.conf");
        await File.WriteAllTextAsync(config, "experiment { agents = 4, rounds = 2, dataset.name = synthetic, dataset.synthetic.test-size = 100 }\n");
        using var process = ChildProcess.Dkd("dkd run", ["run", config, "--out", Path.Combine(_dir, "out"), .. extra.Split(' ')]);
        Assert.Equal(2, await process.WaitForExit(120));
        string err = process.Stderr;
        Assert.Equal("", process.Stdout);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
