using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.TestSupport;

/// <summary>metrics.csv rows with every column but <c>wall_s</c>: what determinism tests compare between runs.</summary>
public static class DeterministicMetrics
{
    public static string[] Deterministic(IEnumerable<MetricsRow> rows) => rows.Select(m => MetricsCsv.Format(m with { WallS = 0 })).ToArray();

    public static string[] Deterministic(RunResult run) => Deterministic(run.Metrics);

    /// <summary>The lines of a written metrics.csv without its <c>wall_s</c> column (the third).</summary>
    public static string[] DeterministicLines(string metricsCsv) =>
        File.ReadAllLines(metricsCsv).Select(l => string.Join(',', l.Split(',').Where((_, k) => k != 2))).ToArray();
}
