using DecentralizedKD.Core.Optimization;

namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// Turns per-agent evaluation reports (in agent order) into the row statistics: mean/min/max accuracy, the averaged
/// parameters x̄ (accumulated in double, agent order: deterministic) and the consensus distance mean_i ‖x_i − x̄‖².
/// Shared by the synchronous coordinator and the asynchronous simulation.
/// </summary>
/// <param name="Average">x̄, or null when the agents' models differ: their parameter vectors have different lengths
/// and meanings, so neither x̄ nor the consensus distance (then NaN) exists.</param>
public sealed record EvaluationAggregate(double Mean, double Min, double Max, float[]? Average, double Consensus)
{
    /// <param name="accuracies">per agent; NaN for an agent that ran no test pass (not in this evaluation's
    /// <see cref="EvaluationSample"/>): mean/min/max are over the others, x̄ and the consensus distance over everyone</param>
    public static EvaluationAggregate Compute(IReadOnlyList<double> accuracies, IReadOnlyList<float[]> parameters, bool averageModels = true)
    {
        if (accuracies.Any(double.IsNaN)) accuracies = accuracies.Where(a => !double.IsNaN(a)).ToArray();
        if (accuracies.Count == 0) accuracies = [double.NaN];
        if (!averageModels) return new EvaluationAggregate(accuracies.Average(), accuracies.Min(), accuracies.Max(), null, double.NaN);
        int p = parameters[0].Length;
        var sum = new double[p];
        foreach (var x in parameters) for (int k = 0; k < p; k++) sum[k] += x[k];
        var xbar = new float[p];
        for (int k = 0; k < p; k++) xbar[k] = (float)(sum[k] / parameters.Count);
        double consensus = parameters.Sum(x => FlatMath.SquaredDistance(x, xbar)) / parameters.Count;
        return new EvaluationAggregate(accuracies.Average(), accuracies.Min(), accuracies.Max(), xbar, consensus);
    }
}
