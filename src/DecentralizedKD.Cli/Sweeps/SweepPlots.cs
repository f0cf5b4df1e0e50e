using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Statistics;
using DecentralizedKD.Hosting.Sweeps;
using ScottPlot;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>Per metric, accuracy vs round of every cell: the mean over its seeds with a shaded 95% CI band.</summary>
public static class SweepPlots
{
    private static readonly (string File, string Label, Func<MetricsRow, double> Of)[] Metrics =
    [
        ("mean_acc.png", "mean agent accuracy", r => r.MeanAcc),
        ("avg_model_acc.png", "averaged-model accuracy", r => r.AvgModelAcc),
    ];

    /// <summary>The plots' file names, in the order summary.md shows them.</summary>
    public static IReadOnlyList<string> Files => [.. Metrics.Select(m => m.File)];

    /// <summary>Writes the plots into <paramref name="dir"/>; returns their file names.</summary>
    public static IReadOnlyList<string> Write(SweepPlan plan, IReadOnlyList<SweepRow> rows, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var (file, label, of) in Metrics)
        {
            var plot = new Plot();
            bool any = false;
            foreach (var cell in plan.Cells)
            {
                var runs = SweepResults.OkRows(rows, cell);
                if (runs.Length == 0) continue;
                var rounds = SweepResults.CommonRounds(runs.Select(r => r.Rows));
                var x = rounds.Select(r => (double)r).ToArray();
                var summaries = rounds.Select(round => SampleSummary.Of(runs.Select(r => of(r.Rows.First(m => m.Round == round))).ToArray())).ToArray();
                if (summaries.All(s => double.IsNaN(s.Mean))) continue;
                var color = plot.Add.Palette.GetColor(plan.Cells.ToList().IndexOf(cell));
                if (summaries.All(s => !double.IsNaN(s.CiHalfWidth)) && x.Length > 1)
                {
                    var band = plot.Add.FillY(x, summaries.Select(s => s.Mean - s.CiHalfWidth).ToArray(), summaries.Select(s => s.Mean + s.CiHalfWidth).ToArray());
                    band.FillColor = color.WithAlpha(0.2);
                    band.LineWidth = 0;
                }
                var line = plot.Add.Scatter(x, summaries.Select(s => s.Mean).ToArray());
                line.Color = color;
                line.MarkerSize = 4;
                line.LegendText = $"{cell.Name} (n = {runs.Length})";
                any = true;
            }
            if (!any) continue;
            plot.Title($"{plan.Definition.Name}: {label}, mean over seeds ± 95% CI");
            plot.XLabel("round");
            plot.YLabel(label);
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend(Alignment.LowerRight);
            plot.SavePng(Path.Combine(dir, file), Plots.Width, Plots.Height);
            written.Add(file);
        }
        return written;
    }
}
