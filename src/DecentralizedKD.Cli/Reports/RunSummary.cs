using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cli.Reports;

/// <summary>summary.md of one run: setup, final and best numbers, traffic, links to the plots.</summary>
public static class RunSummary
{
    /// <param name="models">the run's model kinds (<see cref="RunPlan.ModelKinds"/>): one, unless
    /// <c>experiment.model.per-agent</c> gives agents different models</param>
    public static string Render(ExperimentConfig c, IReadOnlyList<MetricsRow> rows, IReadOnlyDictionary<string, long> bytesByKind,
        IReadOnlyList<ModelKind> models, double wallSeconds, string? error, IReadOnlyList<FinalAgentMetrics>? final = null,
        IReadOnlyList<double>? finalAgentAccuracies = null, string? deviceLine = null)
    {
        bool averagedModel = models.Count == 1;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# {c.Name}");
        sb.AppendLine();
        if (error is not null) sb.AppendLine($"**Run failed:** {error}").AppendLine();
        string? variant = c.Algorithm.Descriptor.SummaryVariant(c);
        sb.AppendLine($"- algorithm: `{c.Algorithm.Name}`{(variant is null ? "" : $" ({variant})")}, mode `{c.Mode.Name()}`");
        if (c.Algorithm.HasServer)
            sb.AppendLine($"- {c.Agents} clients and a server (agent {c.Agents}, no data) on a star (topology.kind not used); accuracy, loss and consensus rows are over the clients"
                + c.Algorithm.Descriptor.SummaryDetails(c));
        else
            sb.AppendLine($"- {c.Agents} agents, {TopologyText(c)} (mixing {c.Topology.Mixing.Name()}, γ = {c.Topology.Gamma.ToString(inv)}){c.Algorithm.Descriptor.SummaryDetails(c)}");
        string model = c.Model.PerAgent.Count == 0
            ? $"model `{c.Model.Name}` ({models[0].ParameterCount:N0} parameters per agent)"
            : "models per agent " + string.Join(", ", models.Select(k => $"`{k.Label}` (agents {PerAgentModels.Describe(k.Agents)})")) + " (see Models)";
        sb.AppendLine($"- data `{c.Dataset.Name}`, partition `{c.Partition.Kind.Name}` (α = {c.Partition.Alpha.ToString(inv)}), {model}");
        sb.AppendLine($"- optimizer: lr {c.Optimizer.Lr.ToString(inv)}, momentum {c.Optimizer.Momentum.ToString(inv)}{(c.Optimizer.Nesterov ? " (Nesterov)" : "")}, weight decay {c.Optimizer.WeightDecay.ToString(inv)}, batch {c.Optimizer.BatchSize}, local steps {c.Optimizer.LocalSteps}, schedule {c.Optimizer.Schedule.Kind.Name()}");
        sb.AppendLine($"- {c.Rounds} rounds, seed {c.Seed}, wall time {wallSeconds.ToString("F1", inv)} s");
        if (c.EvalSampleAgents > 0 && c.EvalSampleAgents < c.Agents)
            sb.AppendLine($"- agent accuracies (mean, min, max, best) are over a seeded sample of {c.EvalSampleAgents} of the {c.Agents} agents, " +
                          "drawn anew at each evaluation (`eval.sample-agents`); the averaged model and the consensus distance use every agent");
        if (deviceLine is not null) sb.AppendLine(deviceLine);
        sb.AppendLine();
        if (rows.Count > 0)
        {
            var last = rows[^1];
            var best = rows.MaxBy(r => r.MeanAcc)!;
            sb.AppendLine("| metric | value |");
            sb.AppendLine("|---|---|");
            sb.AppendLine($"| final mean agent accuracy | {Pct(last.MeanAcc)} (min {Pct(last.MinAcc)}, max {Pct(last.MaxAcc)}) |");
            final ??= [];
            MeanRow(sb, "final mean private-distribution accuracy", final.Select(f => f.PrivateAccuracy));
            // Agents' models may have different numbers of heads: head k's mean is over the agents that have it.
            for (int k = 0; k < (final.Count > 0 ? final.Max(f => f.AuxiliaryHeadAccuracies.Length) : 0); k++)
                MeanRow(sb, $"final mean accuracy of auxiliary head {k + 1}", final.Select(f => k < f.AuxiliaryHeadAccuracies.Length ? f.AuxiliaryHeadAccuracies[k] : double.NaN));
            sb.AppendLine($"| final averaged-model accuracy | {(averagedModel ? Pct(last.AvgModelAcc) : NoAveragedModel)} |");
            if (c.Algorithm.HasServer && finalAgentAccuracies is { } acc && acc.Count > c.Agents)
                sb.AppendLine($"| final server model accuracy | {Pct(acc[c.Agents])} |");
            sb.AppendLine($"| best mean agent accuracy | {Pct(best.MeanAcc)} at round {best.Round} |");
            sb.AppendLine($"| final consensus distance | {(averagedModel ? last.ConsensusDistance.ToString("G4", inv) : NoAveragedModel)} |");
            sb.AppendLine($"| final train loss | {last.TrainLoss.ToString("F4", inv)} |");
            sb.AppendLine($"| bytes sent (all agents) | {last.BytesSent:N0} ({(last.BytesSent / (double)c.AgentCount / 1e6).ToString("F1", inv)} MB per agent) |");
            foreach (var (kind, bytes) in bytesByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                sb.AppendLine($"| bytes sent: {kind} | {bytes:N0} |");
            sb.AppendLine();
        }
        sb.AppendLine("![accuracy](plots/accuracy.png)");
        if (averagedModel)
        {
            sb.AppendLine();
            sb.AppendLine("![consensus distance](plots/consensus.png)");
        }
        return sb.ToString();
    }

    /// <summary>What the averaged-model cells say when agents' models differ: their parameters cannot be averaged.</summary>
    public const string NoAveragedModel = "n/a (agents' models differ)";

    private static void MeanRow(StringBuilder sb, string label, IEnumerable<double> values)
    {
        var v = values.Where(a => !double.IsNaN(a)).ToArray();
        if (v.Length > 0) sb.AppendLine($"| {label} | {Pct(v.Average())} (min {Pct(v.Min())}, max {Pct(v.Max())}) |");
    }

    public static string Pct(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>The static graph, or the time-varying schedule with the settings it reads.</summary>
    private static string TopologyText(ExperimentConfig c) => c.Topology.Schedule.Summary(c.Topology);
}
