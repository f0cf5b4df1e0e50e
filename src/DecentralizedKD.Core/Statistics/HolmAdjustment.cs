namespace DecentralizedKD.Core.Statistics;

/// <summary>
/// Holm's step-down adjustment of a family of p-values, which controls the family-wise error rate (the chance of any
/// false rejection among the family) without assuming the tests independent. With the m defined p-values sorted
/// ascending, p₍ⱼ₎ becomes min(1, max over k ≤ j of (m − k + 1)·p₍ₖ₎): adjusted values are non-decreasing in the order
/// of the raw ones (tied raw values get the same adjusted value) and never exceed 1. A NaN p-value (a comparison with
/// fewer than two pairs or zero spread, which tests nothing) stays NaN and is not counted in m, so it neither makes
/// the others stricter nor gets a number it has no test for.
/// </summary>
public static class HolmAdjustment
{
    /// <summary>The adjusted p-values, in the order of <paramref name="pValues"/>.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var adjusted = new double[pValues.Count];
        Array.Fill(adjusted, double.NaN);
        // Stable order: ties keep their input order, which does not change their (equal) adjusted values.
        var tested = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToArray();
        int m = tested.Length;
        double running = 0;
        for (int k = 0; k < m; k++)
        {
            double p = pValues[tested[k]];
            if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(pValues), p, "a p-value lies in [0, 1]");
            running = Math.Max(running, Math.Min(1, (m - k) * p));
            adjusted[tested[k]] = running;
        }
        return adjusted;
    }

    /// <summary>How many p-values of the family are defined (the m of the adjustment).</summary>
    public static int FamilySize(IReadOnlyList<double> pValues) => pValues.Count(p => !double.IsNaN(p));
}
