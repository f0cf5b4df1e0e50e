using System.Globalization;
using System.Text;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Statistics;
using DecentralizedKD.Hosting.Sweeps;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>
/// One run's row of sweep.csv, read back from its run folder (so a resumed sweep computes exactly what an uninterrupted
/// one does), or from sweep.csv itself (<see cref="Recorded"/>) when the tables are rebuilt without the run folders.
/// </summary>
public sealed record SweepRow(SweepRun Run, bool Ok, string? Error, IReadOnlyList<MetricsRow> Rows)
{
    /// <summary>The run's values as sweep.csv recorded them (dkd sweep --report); null when they come from the run folder's metrics.csv.</summary>
    public SweepRunValues? Recorded { get; init; }

    public MetricsRow? Last => Rows.Count > 0 ? Rows[^1] : null;
    public double FinalMeanAcc => Recorded?.FinalMeanAcc ?? Last?.MeanAcc ?? double.NaN;
    public double BestMeanAcc => Recorded?.BestMeanAcc ?? (Rows.Count > 0 ? Rows.Max(r => r.MeanAcc) : double.NaN);
    public double FinalAvgModelAcc => Recorded?.FinalAvgModelAcc ?? Last?.AvgModelAcc ?? double.NaN;
    public double BestAvgModelAcc => Recorded?.BestAvgModelAcc ?? (Rows.Count > 0 ? Rows.Max(r => r.AvgModelAcc) : double.NaN);
    public double FinalConsensus => Recorded?.FinalConsensus ?? Last?.ConsensusDistance ?? double.NaN;
    public double BytesPerAgent => Recorded?.BytesPerAgent ?? (Last is { } l ? l.BytesSent / (double)Run.Loaded.Config.AgentCount : double.NaN);
    public double VirtualTimeS => Recorded?.VirtualTimeS ?? Last?.VirtualTimeS ?? double.NaN;
    public double WallS => Recorded?.WallS ?? Last?.WallS ?? double.NaN;
}

/// <summary>The per-run values of one sweep.csv row (NaN where the cell is empty), in its column order.</summary>
public sealed record SweepRunValues(double FinalMeanAcc, double BestMeanAcc, double FinalAvgModelAcc, double BestAvgModelAcc,
    double FinalConsensus, double BytesPerAgent, double VirtualTimeS, double WallS);

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

    /// <summary>
    /// The rows of a finished sweep as its sweep.csv recorded them, in the plan's run order: what the tables derived from
    /// sweep.csv need when the run folders are gone (a published result set). sweep.csv holds its numbers round-trip, so
    /// the tables come out exactly as the sweep wrote them. A file that does not hold exactly the plan's runs, with
    /// its grid columns, is one line naming it.
    /// </summary>
    public static IReadOnlyList<SweepRow> ReadSweepCsv(SweepPlan plan, string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: not found (dkd sweep --report rebuilds the tables from a finished sweep's sweep.csv)");
        var lines = File.ReadAllLines(path);
        string expectedHeader = SweepCsv(plan, []).TrimEnd('\n');
        if (lines.Length == 0 || lines[0] != expectedHeader)
            throw new InputException($"{path}: header is not that of this sweep's sweep.csv (expected '{expectedHeader}')");
        int keys = plan.Definition.Grid.Count;
        var byRun = new Dictionary<SweepRun, SweepRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = SplitCsv(lines[i]);
            string where = $"{path}:{i + 1}";
            if (cells.Count != keys + 12) throw new InputException($"{where}: {cells.Count} columns, expected {keys + 12}");
            if (!ulong.TryParse(cells[keys + 1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
                throw new InputException($"{where}: seed '{cells[keys + 1]}' is not a seed");
            var run = plan.Runs.FirstOrDefault(r => r.Cell.Name == cells[0] && r.Seed == seed)
                      ?? throw new InputException($"{where}: cell '{cells[0]}' seed {seed} is not a run of this sweep");
            bool ok = cells[keys + 2] switch
            {
                "ok" => true,
                "failed" => false,
                var other => throw new InputException($"{where}: status '{other}', expected ok or failed"),
            };
            var v = cells.Skip(keys + 3).Take(8).Select(c => ParseNumber(where, c)).ToArray();
            if (!byRun.TryAdd(run, new SweepRow(run, ok, ok ? null : "failed (its error is in the run folder, not in sweep.csv)", [])
                { Recorded = new SweepRunValues(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]) }))
                throw new InputException($"{where}: cell '{cells[0]}' seed {seed} appears twice");
        }
        var missing = plan.Runs.FirstOrDefault(r => !byRun.ContainsKey(r));
        if (missing is not null) throw new InputException($"{path}: no row for cell '{missing.Cell.Name}' seed {missing.Seed}");
        return plan.Runs.Select(r => byRun[r]).ToArray();
    }

    private static double ParseNumber(string where, string text) =>
        text.Length == 0 ? double.NaN
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
        : throw new InputException($"{where}: '{text}' is not a number");

    /// <summary>The cells of one CSV line as <see cref="Csv"/> writes them (quoted where they hold a comma or quote).</summary>
    public static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
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
