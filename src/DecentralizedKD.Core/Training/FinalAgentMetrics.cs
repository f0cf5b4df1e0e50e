using Metrics = DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Extra numbers about one agent's final model (agents.csv, summary.md): its private-distribution accuracy and, for a
/// multi-head model, the global test accuracy of each auxiliary head (MHD's heads k carry k-hop neighbourhood knowledge,
/// while the evaluated main head learns only from private labels). NaN where the agent was never evaluated.
/// </summary>
public sealed record FinalAgentMetrics(double PrivateAccuracy, double[] AuxiliaryHeadAccuracies)
{
    /// <summary>
    /// One extra pass over the test set per agent, after the run, on a scratch model of the agent's own kind loaded
    /// with its last evaluated parameters (one scratch model per kind).
    /// </summary>
    public static FinalAgentMetrics[] Evaluate(HostProcess process, IReadOnlyList<float[]?> finalParameters)
    {
        if (finalParameters.Count == 0) return [];
        var plan = process.Plan;
        var histograms = plan.Partition.LabelHistograms;
        var testCounts = plan.Data.Test.LabelHistogram(Enumerable.Range(0, TestCount(plan)));
        var evaluators = new Dictionary<ModelKind, ScratchModelEvaluator>();
        try
        {
            var result = new FinalAgentMetrics[finalParameters.Count];
            for (int i = 0; i < result.Length; i++)
            {
                var kind = plan.ModelKindOf(i);
                if (finalParameters[i] is not { } p)
                {
                    result[i] = new FinalAgentMetrics(double.NaN, Enumerable.Repeat(double.NaN, Math.Max(0, kind.Spec.Heads - 1)).ToArray());
                    continue;
                }
                if (!evaluators.TryGetValue(kind, out var evaluator))
                    evaluators[kind] = evaluator = new ScratchModelEvaluator(plan, process.Devices.Evaluation, kind.Spec);
                var heads = evaluator.HeadClassAccuracies(p);
                // An agent without private data (a server) has no private distribution.
                double privateAcc = i < histograms.Length ? Metrics.PrivateAccuracy.Compute(histograms[i], heads[0]) : double.NaN;
                result[i] = new FinalAgentMetrics(privateAcc, heads.Skip(1).Select(h => Metrics.PrivateAccuracy.Compute(testCounts, h)).ToArray());
            }
            return result;
        }
        finally
        {
            foreach (var evaluator in evaluators.Values) evaluator.Dispose();
        }
    }

    private static int TestCount(RunPlan plan)
    {
        int n = plan.Config.Dataset.TestSamples;
        return n > 0 ? Math.Min(n, plan.Data.Test.Count) : plan.Data.Test.Count;
    }
}
