using ScottPlot;

namespace DecentralizedKD.Cli.Reports;

/// <summary>
/// Overlay plots of several runs (<c>dkd compare</c>): one colour per run; on the accuracy plots the mean agent is a
/// solid line and the averaged model a dashed one in the same colour, with the time-to-accuracy target dotted.
/// </summary>
public static class ComparePlots
{
    public const string AccuracyVsRound = "accuracy_vs_round.png";
    public const string AccuracyVsTime = "accuracy_vs_time.png";
    public const string ConsensusVsRound = "consensus_vs_round.png";
    /// <summary>Wider than a single run's plots: the legend sits to the right of the data.</summary>
    public const int Width = 1200, Height = 600;

    public static void Accuracy(IReadOnlyList<RunRecord> runs, IReadOnlyList<string> labels, double target, string path, bool virtualTime)
    {
        var plot = new Plot();
        double maxX = 0;
        for (int k = 0; k < runs.Count; k++)
        {
            var rows = runs[k].Rows;
            double[] x = rows.Select(r => virtualTime ? r.VirtualTimeS : r.Round).ToArray();
            maxX = Math.Max(maxX, x.Max());
            var colour = plot.Add.Palette.GetColor(k);
            Line(plot, x, rows.Select(r => r.MeanAcc).ToArray(), $"{labels[k]}: mean agent", colour, LinePattern.Solid);
            var avg = rows.Where(r => !double.IsNaN(r.AvgModelAcc)).ToList();
            if (avg.Count > 0)
                Line(plot, avg.Select(r => virtualTime ? r.VirtualTimeS : r.Round).ToArray(), avg.Select(r => r.AvgModelAcc).ToArray(),
                    $"{labels[k]}: averaged model", colour, LinePattern.Dashed);
        }
        var goal = plot.Add.Scatter(new[] { 0.0, Math.Max(maxX, 1) }, new[] { target, target });
        goal.Color = Colors.Gray;
        goal.LinePattern = LinePattern.Dotted;
        goal.MarkerSize = 0;
        goal.LegendText = "target " + (100 * target).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
        plot.Title(virtualTime ? "test accuracy vs virtual time" : "test accuracy vs round");
        plot.XLabel(virtualTime ? "virtual time (s)" : "round");
        plot.YLabel("test accuracy");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(Edge.Right); // outside the data: overlays of several runs have long legends
        plot.SavePng(path, Width, Height);
    }

    public static void Consensus(IReadOnlyList<RunRecord> runs, IReadOnlyList<string> labels, string path)
    {
        var plot = new Plot();
        for (int k = 0; k < runs.Count; k++)
        {
            // log10 needs positive values: a local-only or single-agent run has none and is left out of this plot.
            var points = runs[k].Rows.Where(r => r.ConsensusDistance > 0).ToList();
            if (points.Count == 0) continue;
            Line(plot, points.Select(r => (double)r.Round).ToArray(), points.Select(r => Math.Log10(r.ConsensusDistance)).ToArray(),
                labels[k], plot.Add.Palette.GetColor(k), LinePattern.Solid);
        }
        plot.Title("consensus distance vs round");
        plot.XLabel("round");
        plot.YLabel("log10 mean ||x_i - x̄||²");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }

    private static void Line(Plot plot, double[] x, double[] y, string label, Color colour, LinePattern pattern)
    {
        var s = plot.Add.Scatter(x, y);
        s.LegendText = label;
        s.Color = colour;
        s.LinePattern = pattern;
        s.MarkerSize = 4;
    }
}
