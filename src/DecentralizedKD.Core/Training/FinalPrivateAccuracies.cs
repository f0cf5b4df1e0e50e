using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Private-distribution accuracy of every agent's final model (agents.csv, summary.md): one extra pass over the test set
/// per agent, after the run, on a scratch model loaded with the agent's last evaluated parameters.
/// </summary>
public static class FinalPrivateAccuracies
{
    public static double[] Evaluate(ExperimentSetup setup, IReadOnlyList<float[]?> finalParameters)
    {
        if (finalParameters.Count == 0) return [];
        var histograms = setup.Partition.LabelHistograms;
        using var evaluator = new ScratchModelEvaluator(setup);
        var result = new double[finalParameters.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = finalParameters[i] is { } p && i < histograms.Length
                ? PrivateAccuracy.Compute(histograms[i], evaluator.ClassAccuracies(p))
                : double.NaN;   // never evaluated (offline all run), or an agent without private data (a server)
        return result;
    }
}
