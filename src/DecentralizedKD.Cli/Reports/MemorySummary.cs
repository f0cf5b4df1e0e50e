using System.Globalization;
using System.Text;
using DecentralizedKD.Cli.Running;

namespace DecentralizedKD.Cli.Reports;

/// <summary>The memory section of summary.md: resident memory per agent and the process peak, with what they measure.</summary>
public static class MemorySummary
{
    public static string Render(MemoryProbe m)
    {
        if (m.BeforeAgents is null) return "";
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine("## Memory").AppendLine();
        sb.AppendLine("| resident memory (VmRSS) | process | per agent |").AppendLine("|---|---|---|");
        sb.AppendLine($"| before agents were created (dataset, partition, actor system) | {Mb(m.BeforeAgents)} | |");
        sb.AppendLine($"| after all {m.Agents} agents were created | {Mb(m.AfterAgents)} | {Kb(m.PerAgent(m.AfterAgents))} |");
        sb.AppendLine($"| at the last evaluation | {Mb(m.AtLastEvaluation)} | {Kb(m.PerAgent(m.AtLastEvaluation))} |");
        sb.AppendLine($"| peak (VmHWM, whole process lifetime) | {Mb(m.Peak)} | |");
        sb.AppendLine().AppendLine("Per agent = (RSS at that point − RSS before agents) / agents, read from /proc/self/status. At creation it " +
            "covers each agent's model, flat parameter and gradient buffer, optimizer state and actor; by the last evaluation also " +
            "payload snapshots, received neighbour models, evaluation buffers and garbage not yet collected. The allocators keep " +
            "freed memory for reuse and the garbage collector runs when it likes, so it is an estimate, not an exact count.");
        return sb.ToString();
    }

    public static string Mb(long? bytes) =>
        bytes is long b ? (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MB" : "n/a";

    public static string Kb(double? bytes) =>
        bytes is double b ? (b / 1024).ToString("F0", CultureInfo.InvariantCulture) + " KB" : "n/a";
}
