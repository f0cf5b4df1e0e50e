using MathNet.Numerics.Distributions;

namespace DecentralizedKD.Core.Statistics;

/// <summary>
/// A cell against the baseline cell over their common seeds: the mean of the per-seed differences (cell − baseline),
/// its 95% confidence interval and the two-sided paired t-test p-value. Pairing by seed removes the variance the two
/// runs of one seed share (same data split, same initial model), which is most of it. Fewer than two pairs, or pairs
/// that all differ by the same amount, leave the interval and p-value NaN (n/a) rather than inventing certainty.
/// </summary>
public readonly record struct PairedComparison(int Pairs, double MeanDifference, double CiHalfWidth, double PValue)
{
    public static PairedComparison Of(IReadOnlyList<double> cell, IReadOnlyList<double> baseline)
    {
        if (cell.Count != baseline.Count) throw new ArgumentException("paired samples must have equal length");
        var d = cell.Zip(baseline, (a, b) => a - b).ToArray();
        var s = SampleSummary.Of(d);
        if (s.N < 2 || !(s.StdDev > 0)) return new(s.N, s.Mean, double.NaN, double.NaN);
        double t = s.Mean / (s.StdDev / Math.Sqrt(s.N));
        double p = 2 * StudentT.CDF(0, 1, s.N - 1, -Math.Abs(t));
        return new(s.N, s.Mean, s.CiHalfWidth, p);
    }
}
