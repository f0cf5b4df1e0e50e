using DecentralizedKD.Cli.Reports;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;

namespace DecentralizedKD.Cli.Tests;

/// <summary><c>dkd compare</c> on hand-written results folders whose table values are known in advance.</summary>
public sealed class CompareTests : IDisposable
{
    private const string Header = "round,virtual_time_s,wall_s,mean_acc,min_acc,max_acc,avg_model_acc,train_loss,consensus_distance,bytes_sent";
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Mean accuracy 0.50, 0.72, 0.65, 0.80 at rounds 10..40 (virtual s 1..4); averaged model best at round 30.</summary>
    private string Ring(string folder, string name = "ring") => WriteRun(folder, name, "dpsgd", 4,
        "10,1.0,0.1,0.50,0.4,0.6,0.55,1.0,0.20,4000",
        "20,2.0,0.2,0.72,0.6,0.8,0.75,0.8,0.10,8000",
        "30,3.0,0.3,0.65,0.5,0.7,0.80,0.7,0.05,12000",
        "40,4.0,0.4,0.80,0.7,0.9,0.78,0.6,0.04,16000");

    /// <summary>A local-only run: no averaged model (NaN), no traffic, zero consensus distance.</summary>
    private string Solo(string folder) => WriteRun(folder, "solo", "local", 2,
        "10,0.5,0.1,0.30,0.2,0.4,NaN,1.5,0,0",
        "20,1.0,0.2,0.40,0.3,0.5,NaN,1.4,0,0");

    private string WriteRun(string folder, string name, string algorithm, int agents, params string[] rows)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName;
        File.WriteAllText(Path.Combine(dir, "metrics.csv"), Header + "\n" + string.Join("\n", rows) + "\n");
        File.WriteAllText(Path.Combine(dir, "config.conf"),
            $"# resolved\nexperiment.agents = \"{agents}\"\nexperiment.algorithm.name = \"{algorithm}\"\nexperiment.mode = \"sync\"\nexperiment.name = \"{name}\"\n");
        return dir;
    }


    [Fact]
    public void Table_markdown_csv_and_overlay_plots()
    {
        string ring = Ring("r1"), solo = Solo("s1"), outDir = Path.Combine(_dir, "cmp");
        var (code, output, err) = Dkd("compare", ring, solo, "--target", "0.7", "--out", outDir);
        Assert.True(code == 0, err);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal("| run | algorithm | rounds | final mean acc | final averaged model | best mean acc (round) | best averaged model (round) | first round mean ≥ 70% | first virtual s mean ≥ 70% | bytes sent | bytes per agent |", lines[0]);
        Assert.Equal("| ring | dpsgd | 40 | 80.00% | 78.00% | 80.00% (40) | 80.00% (30) | 20 | 2.00 | 16.0 KB | 4.00 KB |", lines[2]);
        Assert.Equal("| solo | local | 20 | 40.00% | n/a | 40.00% (20) | n/a | never | never | 0 B | 0 B |", lines[3]);
        Assert.Equal($"results: {outDir}", lines[^1]);

        string md = File.ReadAllText(Path.Combine(outDir, "compare.md"));
        Assert.Contains(lines[2], md);
        foreach (string png in new[] { ComparePlots.AccuracyVsRound, ComparePlots.AccuracyVsTime, ComparePlots.ConsensusVsRound })
        {
            Assert.Contains($"]({png})", md);
            PngAssert.NotBlankOfSize(Path.Combine(outDir, png), ComparePlots.Width, ComparePlots.Height);
        }
        // Each run's series is drawn in its palette colour (Category10: blue, orange).
        PngAssert.HasColour(Path.Combine(outDir, ComparePlots.AccuracyVsRound), 0x1f, 0x77, 0xb4);
        PngAssert.HasColour(Path.Combine(outDir, ComparePlots.AccuracyVsRound), 0xff, 0x7f, 0x0e);
        PngAssert.HasColour(Path.Combine(outDir, ComparePlots.ConsensusVsRound), 0x1f, 0x77, 0xb4);

        var csv = File.ReadAllLines(Path.Combine(outDir, "compare.csv"));
        Assert.Equal("ring,dpsgd,40,0.8,0.78,0.8,40,0.8,30,20,2,16000,4000", csv[1]);
        Assert.Equal("solo,local,20,0.4,,0.4,20,,,,,0,0", csv[2]);
    }

    [Fact]
    public void A_folder_of_runs_expands_and_runs_with_one_name_are_told_apart_by_folder()
    {
        Ring(Path.Combine("default", "ring-2"));
        Ring(Path.Combine("default", "ring-1"));
        Directory.CreateDirectory(Path.Combine(_dir, "default", "plots-not-a-run"));
        var (code, output, err) = Dkd("compare", Path.Combine(_dir, "default"), "--out", Path.Combine(_dir, "cmp"));
        Assert.True(code == 0, err);
        var rows = output.Split('\n').Where(l => l.StartsWith("| ring-", StringComparison.Ordinal)).Select(l => l.Split(" | ")[0]).ToList();
        Assert.Equal(new[] { "| ring-1", "| ring-2" }, rows);
    }

    [Theory]
    [InlineData(0.5, 10, 1.0)]   // reached exactly at the first evaluation
    [InlineData(0.7, 20, 2.0)]   // the first crossing counts, although round 30 falls below again
    [InlineData(0.8, 40, 4.0)]
    [InlineData(0.81, null, null)]
    public void Time_to_accuracy_is_the_first_evaluation_at_or_above_the_target(double target, int? round, double? seconds)
    {
        var run = RunRecord.Read(Ring("r"));
        var row = Comparison.Rows([run], target)[0];
        Assert.Equal(round, row.TargetRound);
        Assert.Equal(seconds, row.TargetVirtualTimeS);
        Assert.Equal(0.8, row.BestMeanAcc);
        Assert.Equal(40, row.BestMeanRound);
        Assert.Equal(4000.0, row.BytesPerAgent);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(41_600, "41.6 KB")]
    [InlineData(577_600_000, "578 MB")]
    [InlineData(9_240_000_000, "9.24 GB")]
    public void Bytes_use_decimal_units_with_three_significant_digits(double bytes, string expected) =>
        Assert.Equal(expected, Comparison.Bytes(bytes));
}
