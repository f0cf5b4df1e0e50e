using System.Text;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Cli.Reports;

/// <summary>summary.md section of a cluster run that lost hosts and went on without their agents (cluster.on-host-loss = continue).</summary>
public static class HostLossSummary
{
    public static string Render(IReadOnlyList<HostLoss> losses, int agents)
    {
        if (losses.Count == 0) return "";
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## Lost hosts (cluster.on-host-loss = continue)");
        sb.AppendLine();
        sb.AppendLine("From the round a host was lost its agents are churned for good: they neither train nor send, their neighbours");
        sb.AppendLine("combine without them (with the last parameters they received from them), and metrics rows, the averaged model");
        sb.AppendLine("and the consensus distance cover the remaining agents only; the lost agents' final_acc in agents.csv is empty.");
        sb.AppendLine();
        sb.AppendLine("| after round | agents lost | agents left | host |");
        sb.AppendLine("|---|---|---|---|");
        int left = agents;
        foreach (var loss in losses)
        {
            left -= loss.AgentIds.Length;
            sb.AppendLine($"| {loss.CompletedRounds} | {Placement.Describe(loss.AgentIds)} | {left} | {loss.Reason} |");
        }
        return sb.ToString();
    }
}
