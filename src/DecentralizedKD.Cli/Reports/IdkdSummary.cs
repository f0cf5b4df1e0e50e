using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cli.Reports;

/// <summary>summary.md section of an IDKD run: how many public samples the agents kept and fine-tuned on.</summary>
public static class IdkdSummary
{
    public static string Render(ExperimentSetup setup)
    {
        var counts = setup.PublicSamples;
        var flagged = Enumerable.Range(0, counts.Agents).Select(counts.Flagged).ToArray();
        var selected = Enumerable.Range(0, counts.Agents).Select(counts.Selected).ToArray();
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## IDKD public samples");
        sb.AppendLine();
        sb.AppendLine($"- public pool: {setup.Partition.PublicIndices.Length:N0} samples (labels never read)");
        sb.AppendLine($"- kept by the agent's own detector at the first exchange: mean {flagged.Average().ToString("F1", inv)} (min {flagged.Min()}, max {flagged.Max()})");
        sb.AppendLine($"- labelled public samples fine-tuned on after the last exchange: mean {selected.Average().ToString("F1", inv)} (min {selected.Min()}, max {selected.Max()}); per agent in agents.csv");
        return sb.ToString();
    }
}
