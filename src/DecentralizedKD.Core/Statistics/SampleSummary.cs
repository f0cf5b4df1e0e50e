using MathNet.Numerics.Distributions;

namespace DecentralizedKD.Core.Statistics;

/// <summary>
/// Mean, sample standard deviation (n − 1) and the half-width of the two-sided 95% confidence interval of the mean
/// (Student t with n − 1 degrees of freedom) of one metric over a cell's seeds. With one value the spread is unknown:
/// the standard deviation and the interval are NaN (shown as n/a), never 0.
/// </summary>
public readonly record struct SampleSummary(int N, double Mean, double StdDev, double CiHalfWidth)
{
    public static SampleSummary Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) return new(0, double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        if (n == 1) return new(1, mean, double.NaN, double.NaN);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        double sd = Math.Sqrt(ss / (n - 1));
        return new(n, mean, sd, TwoSided95(n - 1) * sd / Math.Sqrt(n));
    }

    /// <summary>t such that P(|T| ≤ t) = 0.95 for Student's T with <paramref name="degreesOfFreedom"/>.</summary>
    public static double TwoSided95(int degreesOfFreedom) => StudentT.InvCDF(0, 1, degreesOfFreedom, 0.975);
}
