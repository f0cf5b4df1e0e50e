using System.Text;
using DecentralizedKD.Core.Statistics;
using DecentralizedKD.Hosting.Sweeps;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>
/// One comparison at one pair of cells for one metric: the paired result over their common seeds, and its p-value after
/// Holm's adjustment over all of the sweep's comparisons (NaN where the test itself is n/a).
/// </summary>
public sealed record ComparisonResult(SweepComparison Comparison, SweepPair Pair, SweepMetric Metric, PairedComparison Paired, double PHolm);

/// <summary>
/// The explicit comparisons of a sweep (<c>sweep.comparisons</c>): per pair of cells and metric, the mean of the
/// per-seed differences A − B over the seeds both finished, its 95% CI and the paired t-test p-value; written to
/// comparisons.csv and summary.md. Every row of comparisons.csv is one test, and the sweep's rows together are one family:
/// p_holm is Holm's step-down adjustment over them, so that "p_holm &lt; 0.05" bounds the chance of any false finding in
/// the whole table at 5 %, where the raw p bounds it per row only.
/// </summary>
public static class SweepComparisons
{
    /// <summary>The metrics compared: the final accuracies, which are what a comparison of methods claims.</summary>
    public static readonly SweepMetric[] Metrics =
        [.. SweepResults.CellMetrics.Where(m => m.Column is "final_mean_acc" or "final_avg_model_acc")];

    /// <summary>Per metric, then per comparison, then per pair (grid order).</summary>
    public static IReadOnlyList<ComparisonResult> Compute(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var tests = (from m in Metrics
                     from c in plan.Comparisons
                     from pair in c.Pairs
                     select (c, pair, m, paired: SweepResults.Paired(rows, pair, m))).ToArray();
        var holm = HolmAdjustment.Adjust(tests.Select(t => t.paired.PValue).ToArray());
        return tests.Select((t, i) => new ComparisonResult(t.c, t.pair, t.m, t.paired, holm[i])).ToArray();
    }

    /// <summary>The number of tests Holm's adjustment counted: the comparisons with a p-value.</summary>
    public static int FamilySize(IReadOnlyList<ComparisonResult> results) => HolmAdjustment.FamilySize(results.Select(r => r.Paired.PValue).ToArray());

    /// <summary>comparisons.csv: a, b, one column per grid key (empty where the two cells differ), metric, n, mean_diff, ci95, p_value, p_holm.</summary>
    public static string Csv(SweepPlan plan, IReadOnlyList<ComparisonResult> results)
    {
        var keys = plan.Definition.Grid.Select(a => a.Key).ToArray();
        var sb = new StringBuilder("a,b");
        foreach (string k in keys) sb.Append(',').Append(SweepResults.Csv(k));
        sb.Append(",metric,n,mean_diff,ci95,p_value,p_holm\n");
        foreach (var r in results)
        {
            sb.Append(SweepResults.Csv(r.Comparison.Entry.A)).Append(',').Append(SweepResults.Csv(r.Comparison.Entry.B));
            foreach (string k in keys) sb.Append(',').Append(SweepResults.Csv(r.Pair.GridValue(k) ?? ""));
            sb.Append(',').Append(r.Metric.Column).Append(',').Append(r.Paired.Pairs)
              .Append(',').Append(SweepResults.Number(r.Paired.MeanDifference))
              .Append(',').Append(SweepResults.Number(r.Paired.CiHalfWidth))
              .Append(',').Append(SweepResults.Number(r.Paired.PValue))
              .Append(',').Append(SweepResults.Number(r.PHolm)).Append('\n');
        }
        return sb.ToString();
    }
}
