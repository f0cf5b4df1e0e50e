using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Statistics;
using DecentralizedKD.Hosting.Sweeps;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>One run's row of sweep.csv, read back from its run folder (so a resumed sweep computes exactly what an uninterrupted one does).</summary>
public sealed record SweepRow(SweepRun Run, bool Ok, string? Error, IReadOnlyList<MetricsRow> Rows)
{
    public MetricsRow? Last => Rows.Count > 0 ? Rows[^1] : null;
    public double FinalMeanAcc => Last?.MeanAcc ?? double.NaN;
    public double BestMeanAcc => Rows.Count > 0 ? Rows.Max(r => r.MeanAcc) : double.NaN;
    public double FinalAvgModelAcc => Last?.AvgModelAcc ?? double.NaN;
    public double BestAvgModelAcc => Rows.Count > 0 ? Rows.Max(r => r.AvgModelAcc) : double.NaN;
    public double FinalConsensus => Last?.ConsensusDistance ?? double.NaN;
    public double BytesPerAgent => Last is { } l ? l.BytesSent / (double)Run.Loaded.Config.AgentCount : double.NaN;
    public double VirtualTimeS => Last?.VirtualTimeS ?? double.NaN;
    public double WallS => Last?.WallS ?? double.NaN;
}

/// <summary>A metric summarised per cell in cells.csv and summary.md.</summary>
/// <param name="Unit">"%" for accuracies (shown ×100), "MB" for bytes (shown ÷10⁶), "" for plain numbers.</param>
public sealed record SweepMetric(string Column, string Label, Func<SweepRow, double> Of, string Unit);

/// <summary>sweep.csv (one row per run) and cells.csv (mean, sample sd and 95% CI per cell).</summary>
public static class SweepResults
{
    public static readonly SweepMetric[] CellMetrics =
    [
        new("final_mean_acc", "final mean agent acc", r => r.FinalMeanAcc, "%"),
        new("final_avg_model_acc", "final averaged-model acc", r => r.FinalAvgModelAcc, "%"),
        new("best_mean_acc", "best mean agent acc", r => r.BestMeanAcc, "%"),
        new("final_consensus", "final consensus distance", r => r.FinalConsensus, ""),
        new("bytes_per_agent", "sent per agent", r => r.BytesPerAgent, "MB"),
    ];

    public static IReadOnlyList<SweepRow> Collect(string sweepDir, IReadOnlyList<SweepRunStatus> statuses) =>
        statuses.Select(s =>
        {
            string metrics = Path.Combine(sweepDir, s.Run.Folder, "metrics.csv");
            var rows = s.Ok && File.Exists(metrics) ? MetricsCsv.Read(metrics) : [];
            return new SweepRow(s.Run, s.Ok, s.Error, rows);
        }).ToArray();

    /// <summary>
    /// A − B for one metric over the seeds both cells finished, in seed order: pairing by seed removes what the two
    /// runs of one seed share (data split, initial model).
    /// </summary>
    public static PairedComparison Paired(IReadOnlyList<SweepRow> rows, SweepPair pair, SweepMetric m)
    {
        var bRows = OkRows(rows, pair.B).ToDictionary(r => r.Run.Seed);
        var pairs = OkRows(rows, pair.A).Where(r => bRows.ContainsKey(r.Run.Seed)).ToArray();
        return PairedComparison.Of(pairs.Select(m.Of).ToArray(), pairs.Select(r => m.Of(bRows[r.Run.Seed])).ToArray());
    }

    /// <summary>The rows of a cell's successful runs, in seed order.</summary>
    public static SweepRow[] OkRows(IReadOnlyList<SweepRow> rows, SweepCell cell) => rows.Where(r => ReferenceEquals(r.Run.Cell, cell) && r.Ok).OrderBy(r => r.Run.Seed).ToArray();

    public static string SweepCsv(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var keys = plan.Definition.Grid.Select(a => a.Key).ToArray();
        var sb = new StringBuilder("cell");
        foreach (string k in keys) sb.Append(',').Append(Csv(k));
        sb.Append(",seed,status,final_mean_acc,best_mean_acc,final_avg_model_acc,best_avg_model_acc,final_consensus,bytes_per_agent,virtual_time_s,wall_s,run_dir\n");
        foreach (var r in rows)
        {
            sb.Append(Csv(r.Run.Cell.Name));
            foreach (string k in keys) sb.Append(',').Append(Csv(GridValue(r.Run.Cell, k)));
            sb.Append(',').Append(r.Run.Seed).Append(',').Append(r.Ok ? "ok" : "failed");
            foreach (double v in new[] { r.FinalMeanAcc, r.BestMeanAcc, r.FinalAvgModelAcc, r.BestAvgModelAcc, r.FinalConsensus, r.BytesPerAgent, r.VirtualTimeS, r.WallS })
                sb.Append(',').Append(Number(v));
            sb.Append(',').Append(Csv(r.Run.Folder)).Append('\n');
        }
        return sb.ToString();
    }

    public static string CellsCsv(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var keys = plan.Definition.Grid.Select(a => a.Key).ToArray();
        var sb = new StringBuilder("cell");
        foreach (string k in keys) sb.Append(',').Append(Csv(k));
        sb.Append(",n");
        foreach (var m in CellMetrics) sb.Append($",{m.Column}_mean,{m.Column}_sd,{m.Column}_ci95");
        sb.Append('\n');
        foreach (var cell in plan.Cells)
        {
            var ok = OkRows(rows, cell);
            sb.Append(Csv(cell.Name));
            foreach (string k in keys) sb.Append(',').Append(Csv(GridValue(cell, k)));
            sb.Append(',').Append(ok.Length);
            foreach (var m in CellMetrics)
            {
                var s = SampleSummary.Of(ok.Select(m.Of).ToArray());
                sb.Append(',').Append(Number(s.Mean)).Append(',').Append(Number(s.StdDev)).Append(',').Append(Number(s.CiHalfWidth));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The rounds every one of a cell's runs evaluated (runs of one cell share the schedule), ascending.</summary>
    public static int[] CommonRounds(IEnumerable<IReadOnlyList<MetricsRow>> runs) =>
        runs.Select(rows => rows.Select(m => m.Round)).Aggregate((a, b) => a.Intersect(b)).Order().ToArray();

    public static string GridValue(SweepCell cell, string key) => cell.GridValues.FirstOrDefault(kv => kv.Key == key).Value ?? "";

    /// <summary>Round-trip number, or an empty cell when there is none (n/a).</summary>
    public static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
