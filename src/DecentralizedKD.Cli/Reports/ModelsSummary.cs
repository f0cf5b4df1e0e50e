using System.Text;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cli.Reports;

/// <summary>
/// The models section of summary.md for a run with <c>experiment.model.per-agent</c>: each model kind with its agents,
/// parameter count and the training state an agent of that kind holds. Runs where every agent has experiment.model
/// keep the one-line model entry of the setup list instead.
/// </summary>
public static class ModelsSummary
{
    public static string Render(RunPlan plan)
    {
        if (plan.Config.Model.PerAgent.Count == 0) return "";
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine("## Models").AppendLine();
        sb.AppendLine("| model | agents | parameters | training state per agent |").AppendLine("|---|---|---|---|");
        foreach (var kind in plan.ModelKinds)
            sb.AppendLine($"| `{kind.Label}` | {PerAgentModels.Describe(kind.Agents)} ({kind.Agents.Length}) | {kind.ParameterCount:N0} | {MemorySummary.Kb(kind.TrainingStateBytes)} |");
        sb.AppendLine().AppendLine("Training state = float32 parameters, gradients and momentum buffer (3 × 4 bytes per parameter), without " +
            "activations or received payloads; the memory section below measures the whole process." +
            (plan.ModelsDiffer ? " The agents' models differ, so there is no averaged model: its accuracy and the consensus distance are n/a." : ""));
        return sb.ToString();
    }
}
