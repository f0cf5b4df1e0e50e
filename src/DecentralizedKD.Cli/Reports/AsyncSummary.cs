using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Reports;

/// <summary>The asynchronous-mode section of summary.md: network/compute setup, staleness, drops, churn, time-to-accuracy.</summary>
public static class AsyncSummary
{
    public static string Render(ExperimentConfig c, IReadOnlyList<MetricsRow> rows, AsyncStats s, WindowCounts? windows = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var a = c.Async;
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine(c.Mode == RunMode.Realtime
            ? "## Realtime run (wall-clock delays; NOT reproducible: messages race for real)"
            : "## Asynchronous run (virtual time)").AppendLine();
        sb.AppendLine($"- latency `{LatencyDistribution.Kinds.NameOf(a.LatencyDist)}`, bandwidth {a.BandwidthBytesPerSecond * 8 / 1e6:F0} Mbit/s, drop probability {a.Drop.ToString(inv)}, max-staleness {a.MaxStaleness} (wait-timeout {a.WaitTimeoutS.ToString(inv)} s)");
        sb.AppendLine($"- step time {c.StepTimeS.ToString(inv)} s; stragglers {a.StragglerFraction.ToString(inv)} of agents slowed ×{a.StragglerSlowdown.ToString(inv)}; churn `{a.ChurnKind.Name()}`");
        sb.AppendLine($"- messages delivered {s.Delivered:N0}, dropped by links {s.Dropped:N0}, lost to offline receivers {s.Lost:N0}; churn transitions {s.ChurnTransitions:N0}");
        sb.AppendLine($"- combines {s.Combines:N0}, of which after a wait timeout {s.TimedOutCombines:N0}");
        if (rows.Count > 0) sb.AppendLine($"- virtual time to finish: {rows[^1].VirtualTimeS.ToString("F2", inv)} s");
        if (windows is not null)
            sb.AppendLine($"- simulated in {windows.Windows:N0} conservative time windows, {windows.MeanActiveAgents.ToString("F1", inv)} of {windows.Agents:N0} agents active per window on average");
        sb.AppendLine().AppendLine("| time-to-accuracy (mean agent) | virtual s |").AppendLine("|---|---|");
        foreach (double target in new[] { 0.5, 0.6, 0.7, 0.8 })
        {
            var hit = rows.FirstOrDefault(r => r.MeanAcc >= target);
            sb.AppendLine($"| {target:P0} | {(hit is null ? "not reached" : hit.VirtualTimeS.ToString("F2", inv))} |");
        }
        long total = s.Staleness.Values.Sum();
        if (total > 0)
        {
            sb.AppendLine().AppendLine("| staleness of combined payloads (iterations) | share |").AppendLine("|---|---|");
            foreach (var (staleness, count) in s.Staleness)
                sb.AppendLine($"| {StalenessLabel(staleness)} | {(100.0 * count / total).ToString("F1", inv)}% |");
        }
        sb.AppendLine().AppendLine("![accuracy vs virtual time](plots/accuracy_vs_time.png)");
        return sb.ToString();
    }

    /// <summary>A histogram row's label: iterations behind, "k ahead" for a neighbour further on than the agent, or never received.</summary>
    public static string StalenessLabel(int staleness) => staleness switch
    {
        AsyncStats.NeverReceived => "never received",
        < 0 => $"{-staleness} ahead (neighbour's payload newer than the agent's iteration)",
        _ => staleness.ToString(CultureInfo.InvariantCulture),
    };
}
