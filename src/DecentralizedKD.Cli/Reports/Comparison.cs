using System.Globalization;
using System.Text;

namespace DecentralizedKD.Cli.Reports;

/// <summary>One line of the <c>dkd compare</c> table.</summary>
public sealed record ComparisonRow(
    string Run,
    string Algorithm,
    int Rounds,
    double FinalMeanAcc,
    double FinalAvgModelAcc,
    double BestMeanAcc,
    int BestMeanRound,
    double BestAvgModelAcc,
    int? BestAvgModelRound,
    int? TargetRound,
    double? TargetVirtualTimeS,
    long BytesSent,
    double? BytesPerAgent);

/// <summary>
/// Side-by-side numbers of finished runs: final and best accuracies (mean agent and averaged model),
/// time-to-accuracy (the first evaluated round, and its virtual time, at which the mean agent accuracy reached the
/// target) and traffic. Evaluations are discrete, so time-to-accuracy is "by this evaluation", not an interpolation.
/// </summary>
public static class Comparison
{
    public static IReadOnlyList<ComparisonRow> Rows(IReadOnlyList<RunRecord> runs, double target)
    {
        // Runs of the same experiment name (e.g. one config with different --set values) are told apart by directory.
        var duplicated = runs.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return runs.Select(r =>
        {
            var last = r.Rows[^1];
            var bestMean = r.Rows.MaxBy(x => x.MeanAcc)!;
            var withAvg = r.Rows.Where(x => !double.IsNaN(x.AvgModelAcc)).ToList();
            var bestAvg = withAvg.Count > 0 ? withAvg.MaxBy(x => x.AvgModelAcc) : null;
            var hit = r.Rows.FirstOrDefault(x => x.MeanAcc >= target);
            return new ComparisonRow(
                duplicated.Contains(r.Name) ? Path.GetFileName(r.Directory) : r.Name,
                r.Algorithm,
                last.Round,
                last.MeanAcc,
                last.AvgModelAcc,
                bestMean.MeanAcc,
                bestMean.Round,
                bestAvg?.AvgModelAcc ?? double.NaN,
                bestAvg?.Round,
                hit?.Round,
                hit?.VirtualTimeS,
                last.BytesSent,
                r.Agents is int n ? (double)last.BytesSent / n : null);
        }).ToList();
    }

    public static string[] Columns(double target) =>
    [
        "run", "algorithm", "rounds", "final mean acc", "final averaged model", "best mean acc (round)",
        "best averaged model (round)", $"first round mean ≥ {Pct(target)}", $"first virtual s mean ≥ {Pct(target)}",
        "bytes sent", "bytes per agent",
    ];

    public static string[] Cells(ComparisonRow r)
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            r.Run,
            r.Algorithm,
            r.Rounds.ToString(inv),
            RunSummary.Pct(r.FinalMeanAcc),
            RunSummary.Pct(r.FinalAvgModelAcc),
            $"{RunSummary.Pct(r.BestMeanAcc)} ({r.BestMeanRound.ToString(inv)})",
            r.BestAvgModelRound is int round ? $"{RunSummary.Pct(r.BestAvgModelAcc)} ({round.ToString(inv)})" : "n/a",
            r.TargetRound?.ToString(inv) ?? "never",
            r.TargetVirtualTimeS?.ToString("F2", inv) ?? "never",
            Bytes(r.BytesSent),
            r.BytesPerAgent is double b ? Bytes(b) : "n/a",
        ];
    }

    public static string MarkdownTable(IReadOnlyList<ComparisonRow> rows, double target)
    {
        var sb = new StringBuilder();
        var columns = Columns(target);
        sb.Append("| ").Append(string.Join(" | ", columns)).Append(" |\n");
        sb.Append('|').Append(string.Concat(Enumerable.Repeat("---|", columns.Length))).Append('\n');
        foreach (var r in rows) sb.Append("| ").Append(string.Join(" | ", Cells(r).Select(EscapePipe))).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>Raw numbers (fractions, bytes, empty = never / not available) for scripts.</summary>
    public static string Csv(IReadOnlyList<ComparisonRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        string N(double? v) => v is double d && !double.IsNaN(d) ? d.ToString("R", inv) : "";
        var sb = new StringBuilder("run,algorithm,rounds,final_mean_acc,final_avg_model_acc,best_mean_acc,best_mean_round,best_avg_model_acc,best_avg_model_round,target_round,target_virtual_time_s,bytes_sent,bytes_per_agent\n");
        foreach (var r in rows)
            sb.AppendJoin(',', Quote(r.Run), Quote(r.Algorithm), r.Rounds.ToString(inv), N(r.FinalMeanAcc), N(r.FinalAvgModelAcc), N(r.BestMeanAcc),
                r.BestMeanRound.ToString(inv), N(r.BestAvgModelAcc), r.BestAvgModelRound?.ToString(inv) ?? "", r.TargetRound?.ToString(inv) ?? "",
                N(r.TargetVirtualTimeS), r.BytesSent.ToString(inv), N(r.BytesPerAgent)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Decimal units (1 MB = 10⁶ bytes), three significant digits.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        int u = 0;
        while (Math.Abs(bytes) >= 1000 && u < units.Length - 1) { bytes /= 1000; u++; }
        return (u == 0 ? bytes.ToString("F0", CultureInfo.InvariantCulture) : bytes.ToString(bytes >= 100 ? "F0" : bytes >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture)) + " " + units[u];
    }

    private static string Pct(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string EscapePipe(string s) => s.Replace("|", "\\|");

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
