using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>metrics.csv rows with every column but <c>wall_s</c>: what determinism tests compare between runs.</summary>
public static class DeterministicMetrics
{
    public static string[] Deterministic(IEnumerable<MetricsRow> rows) => rows.Select(m => MetricsCsv.Format(m with { WallS = 0 })).ToArray();

    public static string[] Deterministic(RunResult run) => Deterministic(run.Metrics);
}
