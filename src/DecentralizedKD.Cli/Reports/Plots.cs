using DecentralizedKD.Core.Metrics;
using ScottPlot;

namespace DecentralizedKD.Cli.Reports;

/// <summary>PNG plots of one run (ScottPlot).</summary>
public static class Plots
{
    public const int Width = 900, Height = 540;

    public static void Accuracy(IReadOnlyList<MetricsRow> rows, string path, string title)
    {
        var plot = new Plot();
        double[] x = rows.Select(r => (double)r.Round).ToArray();
        Line(plot, x, rows.Select(r => r.MeanAcc), "mean agent accuracy");
        Line(plot, x, rows.Select(r => r.MinAcc), "min agent accuracy");
        Line(plot, x, rows.Select(r => r.MaxAcc), "max agent accuracy");
        if (rows.Any(r => !double.IsNaN(r.AvgModelAcc))) Line(plot, x, rows.Select(r => r.AvgModelAcc), "averaged model");
        plot.Title(title);
        plot.XLabel("round");
        plot.YLabel("test accuracy");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    public static void AccuracyVsTime(IReadOnlyList<MetricsRow> rows, string path, string title)
    {
        var plot = new Plot();
        double[] x = rows.Select(r => r.VirtualTimeS).ToArray();
        Line(plot, x, rows.Select(r => r.MeanAcc), "mean agent accuracy");
        if (rows.Any(r => !double.IsNaN(r.AvgModelAcc))) Line(plot, x, rows.Select(r => r.AvgModelAcc), "averaged model");
        plot.Title(title);
        plot.XLabel("virtual time (s)");
        plot.YLabel("test accuracy");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    public static void Consensus(IReadOnlyList<MetricsRow> rows, string path, string title)
    {
        var plot = new Plot();
        var points = rows.Where(r => r.ConsensusDistance > 0).ToList();
        double[] x = points.Select(r => (double)r.Round).ToArray();
        Line(plot, x, points.Select(r => Math.Log10(r.ConsensusDistance)), "log10 consensus distance");
        plot.Title(title);
        plot.XLabel("round");
        plot.YLabel("log10 mean ||x_i - x̄||²");
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Agents × classes sample counts (the non-IID-ness of a partition at a glance).</summary>
    public static void LabelHeatmap(int[][] histogram, string path, string title)
    {
        int agents = histogram.Length, classes = histogram.Length == 0 ? 0 : histogram[0].Length;
        var data = new double[agents, classes];
        for (int a = 0; a < agents; a++)
            for (int c = 0; c < classes; c++) data[a, c] = histogram[a][c];
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.XLabel("class");
        plot.YLabel("agent");
        plot.SavePng(path, Width, Math.Max(Height, 20 * agents + 120));
    }

    private static void Line(Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var s = plot.Add.Scatter(x, y.ToArray());
        s.LegendText = label;
        s.MarkerSize = 4;
    }
}
