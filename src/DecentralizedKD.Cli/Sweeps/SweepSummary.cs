using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Statistics;
using DecentralizedKD.Hosting.Sweeps;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>
/// summary.md of a sweep: every cell as mean ± 95% CI half-width over its seeds, failed runs with their errors, with a
/// baseline each cell's paired difference to its baseline cell over their common seeds with its CI and paired t-test
/// p-value, and the explicit comparisons the same way.
/// </summary>
public static class SweepSummary
{
    public static string Render(SweepPlan plan, IReadOnlyList<SweepRow> rows, double wallSeconds, IReadOnlyList<string> plots)
    {
        var inv = CultureInfo.InvariantCulture;
        var d = plan.Definition;
        var sb = new StringBuilder();
        sb.AppendLine($"# Sweep {d.Name}").AppendLine();
        sb.AppendLine($"- base `{d.BasePath}`; {plan.Cells.Count} cell(s) × {d.Seeds.Count} seed(s) ({string.Join(", ", d.Seeds)}) = {plan.Runs.Count} run(s)");
        if (d.Sets.Count + d.CommandLineSets.Count > 0) sb.AppendLine($"- every run: `{string.Join("`, `", d.Sets.Concat(d.CommandLineSets))}`");
        int failed = rows.Count(r => !r.Ok);
        sb.AppendLine($"- {rows.Count - failed} run(s) ok, {failed} failed; wall time {(double.IsNaN(wallSeconds) ? "n/a" : wallSeconds.ToString("F1", inv) + " s")}");
        sb.AppendLine("- values: mean ± half-width of the 95% confidence interval of the mean (Student t, n − 1 degrees of freedom; n/a for one seed)");
        sb.AppendLine();
        sb.Append("| cell | n |");
        foreach (var m in SweepResults.CellMetrics) sb.Append($" {m.Label} |");
        sb.AppendLine();
        sb.Append("|---|---|").AppendLine(string.Concat(SweepResults.CellMetrics.Select(_ => "---|")));
        foreach (var cell in plan.Cells)
        {
            var ok = SweepResults.OkRows(rows, cell);
            sb.Append($"| `{cell.Name}`{(plan.IsBaseline(cell) ? " (baseline)" : "")} | {ok.Length} |");
            foreach (var m in SweepResults.CellMetrics)
            {
                var s = SampleSummary.Of(ok.Select(m.Of).ToArray());
                sb.Append(' ').Append(PlusMinus(s.Mean, s.CiHalfWidth, m.Unit)).Append(" |");
            }
            sb.AppendLine();
        }
        if (plan.Definition.Baseline is not null) RenderBaseline(sb, plan, rows);
        if (plan.Comparisons.Count > 0) RenderComparisons(sb, plan, rows);
        var failures = rows.Where(r => !r.Ok).ToArray();
        if (failures.Length > 0)
        {
            sb.AppendLine().AppendLine("## Failed runs").AppendLine();
            foreach (var r in failures) sb.AppendLine($"- `{r.Run.Cell.Name}` seed {r.Run.Seed}: {r.Error}");
        }
        sb.AppendLine();
        foreach (string plot in plots) sb.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}](plots/{plot})").AppendLine();
        return sb.ToString();
    }

    /// <summary>
    /// Each cell against its baseline cell: the one baseline cell, or (baseline = a variant) the baseline variant's cell
    /// at the same grid point, which then gets its own column.
    /// </summary>
    private static void RenderBaseline(StringBuilder sb, SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        string baseline = plan.Definition.Baseline!;
        bool perGridPoint = plan.Cells.All(c => c.Name != baseline);
        if (perGridPoint)
        {
            sb.AppendLine().AppendLine($"## Paired differences against `{baseline}` at each grid point").AppendLine();
            sb.AppendLine("Per seed, cell minus the baseline variant's cell at the same grid point, over the seeds both finished; 95% CI of the mean difference and the two-sided paired t-test p-value.");
            sb.AppendLine().AppendLine("| cell | baseline cell | metric | pairs | difference | p |").AppendLine("|---|---|---|---|---|---|");
        }
        else
        {
            sb.AppendLine().AppendLine($"## Paired differences against `{baseline}`").AppendLine();
            sb.AppendLine("Per seed, cell minus baseline, over the seeds both finished; 95% CI of the mean difference and the two-sided paired t-test p-value.");
            sb.AppendLine().AppendLine("| cell | metric | pairs | difference | p |").AppendLine("|---|---|---|---|---|");
        }
        foreach (var pair in plan.BaselinePairs)
        foreach (var m in SweepResults.CellMetrics)
        {
            var p = SweepResults.Paired(rows, pair, m);
            string against = perGridPoint ? $" `{pair.B.Name}` |" : "";
            sb.AppendLine($"| `{pair.A.Name}` |{against} {m.Label} | {p.Pairs} | {PlusMinus(p.MeanDifference, p.CiHalfWidth, m.Unit, signed: true)} | {P(p.PValue)} |");
        }
    }

    /// <summary>The explicit comparisons: one table per metric, a row per comparison and grid point.</summary>
    private static void RenderComparisons(StringBuilder sb, SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var keys = plan.Definition.Grid.Select(a => a.Key).ToArray();
        sb.AppendLine().AppendLine("## Comparisons").AppendLine();
        sb.AppendLine("Per seed, A minus B at the same grid point (or between the two named cells), over the seeds both finished; 95% CI of the mean difference and the two-sided paired t-test p-value. The same numbers, unrounded, are in comparisons.csv.");
        var results = SweepComparisons.Compute(plan, rows);
        int family = SweepComparisons.FamilySize(results);
        sb.AppendLine().AppendLine($"p (Holm): Holm's step-down adjustment of p over the sweep's {family} comparison(s) (every row of the tables below, both metrics; a row with p n/a is not counted), " +
                                   "controlling the family-wise error at 5 %: a row with p (Holm) < 0.05 holds with all the others considered.");
        foreach (var metric in SweepComparisons.Metrics)
        {
            sb.AppendLine().AppendLine($"### {metric.Label}").AppendLine();
            sb.Append("| A − B |");
            foreach (string k in keys) sb.Append($" {k} |");
            sb.AppendLine(" pairs | difference | p | p (Holm) |");
            sb.Append("|---|").Append(string.Concat(keys.Select(_ => "---|"))).AppendLine("---|---|---|---|");
            foreach (var r in results.Where(r => ReferenceEquals(r.Metric, metric)))
            {
                sb.Append($"| `{r.Comparison.Entry.A}` − `{r.Comparison.Entry.B}` |");
                foreach (string k in keys) sb.Append($" {r.Pair.GridValue(k) ?? "–"} |");
                sb.AppendLine($" {r.Paired.Pairs} | {PlusMinus(r.Paired.MeanDifference, r.Paired.CiHalfWidth, metric.Unit, signed: true)} | {P(r.Paired.PValue)} | {P(r.PHolm)} |");
            }
        }
    }

    /// <summary>"mean ± half-width unit": accuracies in percent (differences in percentage points), bytes in MB.</summary>
    public static string PlusMinus(double mean, double half, string unit, bool signed = false)
    {
        var inv = CultureInfo.InvariantCulture;
        if (double.IsNaN(mean)) return "n/a";
        (double scale, string format, string suffix) = unit switch
        {
            "%" => (100.0, "F2", signed ? " pts" : " %"),
            "MB" => (1e-6, "F2", " MB"),
            _ => (1.0, "G4", ""),
        };
        string sign = signed && mean >= 0 ? "+" : "";
        string spread = double.IsNaN(half) ? "n/a" : (scale * half).ToString(format, inv);
        return $"{sign}{(scale * mean).ToString(format, inv)} ± {spread}{suffix}";
    }

    private static string P(double p) => double.IsNaN(p) ? "n/a" : p < 1e-4 ? "< 0.0001" : p.ToString("F4", CultureInfo.InvariantCulture);
}
