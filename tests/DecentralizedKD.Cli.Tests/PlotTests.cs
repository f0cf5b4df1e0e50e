using System.Text.RegularExpressions;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core.Metrics;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>Every PNG the reports write: it exists, has the expected pixel size, is not blank and shows its data.</summary>
[Collection("engine")]
public sealed partial class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly MetricsRow[] Rows =
    [
        new(10, 0.5, 1, 0.30, 0.10, 0.50, 0.40, 1.2, 0.5, 100),
        new(20, 1.0, 2, 0.55, 0.35, 0.70, 0.65, 0.9, 0.2, 200),
        new(30, 1.5, 3, 0.70, 0.50, 0.85, 0.80, 0.6, 0.1, 300),
    ];

    [Fact]
    public void Single_run_plots_have_their_size_and_series_colours()
    {
        string accuracy = Path.Combine(_dir, "a.png"), time = Path.Combine(_dir, "t.png"), consensus = Path.Combine(_dir, "c.png");
        Plots.Accuracy(Rows, accuracy, "accuracy");
        Plots.AccuracyVsTime(Rows, time, "accuracy vs time");
        Plots.Consensus(Rows, consensus, "consensus");
        foreach (string png in new[] { accuracy, time, consensus })
        {
            PngAssert.NotBlankOfSize(png, Plots.Width, Plots.Height);
            PngAssert.HasColour(png, 0x1f, 0x77, 0xb4); // first series (Category10 blue)
        }
        PngAssert.HasColour(accuracy, 0xd6, 0x27, 0x28); // fourth series: the averaged model (Category10 red)
    }

    [Fact]
    public void Label_heatmap_grows_with_the_number_of_agents()
    {
        string png = Path.Combine(_dir, "h.png");
        int[][] histogram = Enumerable.Range(0, 40).Select(a => Enumerable.Range(0, 10).Select(c => (a * 7 + c * 3) % 11).ToArray()).ToArray();
        Plots.LabelHeatmap(histogram, png, "partition");
        PngAssert.NotBlankOfSize(png, Plots.Width, 20 * 40 + 120);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public void Summary_links_only_plots_that_exist(string mode)
    {
        string config = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny"
              agents = 4
              rounds = 4
              eval-every = 2
              dataset { name = synthetic
                synthetic { train-size = 400, test-size = 100, shape = [1, 28, 28] } }
              model { name = mlp, hidden = [16] }
            }
            """);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Dkd.Run(["run", config, "--set", $"mode={mode}", "--out", _dir], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string dir = stdout.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        var links = ImageLink().Matches(summary).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(mode == "sync" ? ["plots/accuracy.png", "plots/consensus.png"] : ["plots/accuracy.png", "plots/consensus.png", "plots/accuracy_vs_time.png"], links);
        foreach (string link in links) PngAssert.NotBlankOfSize(Path.Combine(dir, link), Plots.Width, Plots.Height);
        Assert.Equal(links.Count, Directory.GetFiles(Path.Combine(dir, "plots"), "*.png").Length);

        // The memory section names its points and gives a per-agent figure.
        Assert.Contains("## Memory", summary);
        Assert.Matches(@"\| after all 4 agents were created \| [0-9.]+ MB \| -?[0-9]+ KB \|", summary);
        Assert.Matches(@"\| peak \(VmHWM, whole process lifetime\) \| [0-9.]+ MB \|", summary);
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)]+)\)")]
    private static partial Regex ImageLink();
}
