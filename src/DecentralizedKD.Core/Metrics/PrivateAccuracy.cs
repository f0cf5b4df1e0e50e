namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// Accuracy on an agent's own data distribution (MHD's "private" accuracy): the test set re-weighted
/// by the agent's training label histogram, Σ_c p_i(c)·acc_c with p_i(c) = n_i(c)/n_i. Classes absent from the test set
/// (acc_c = NaN) are left out and the remaining weights renormalised.
/// </summary>
public static class PrivateAccuracy
{
    public static double Compute(IReadOnlyList<int> labelHistogram, IReadOnlyList<double> classAccuracy)
    {
        if (labelHistogram.Count != classAccuracy.Count)
            throw new ArgumentException($"{labelHistogram.Count} histogram classes vs {classAccuracy.Count} class accuracies");
        double weighted = 0, weight = 0;
        for (int c = 0; c < labelHistogram.Count; c++)
        {
            if (labelHistogram[c] == 0 || double.IsNaN(classAccuracy[c])) continue;
            weighted += labelHistogram[c] * classAccuracy[c];
            weight += labelHistogram[c];
        }
        return weight > 0 ? weighted / weight : double.NaN;
    }
}
