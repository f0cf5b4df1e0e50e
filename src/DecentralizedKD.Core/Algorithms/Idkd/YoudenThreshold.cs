namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// ROC calibration of the MSP threshold (the reference repository's unused threshold helper): τ maximising Youden's
/// J = TPR − FPR, with in-distribution scores as positives and out-of-distribution scores as negatives, for the rule
/// "keep when score &gt; τ". Candidates are the observed scores; ties in J go to the highest τ (the most conservative
/// cut, and sklearn's first ROC point). When nothing separates the two sets the result is the largest score: keep nothing.
/// </summary>
public static class YoudenThreshold
{
    public static double Compute(ReadOnlySpan<float> positives, ReadOnlySpan<float> negatives)
    {
        if (positives.Length == 0 || negatives.Length == 0)
            throw new ArgumentException($"Youden calibration needs both score sets ({positives.Length} positives, {negatives.Length} negatives)");
        var pos = positives.ToArray();
        var neg = negatives.ToArray();
        Array.Sort(pos);
        Array.Sort(neg);
        var candidates = pos.Concat(neg).Distinct().OrderDescending().ToArray();
        double bestJ = double.NegativeInfinity, best = candidates[0];
        foreach (float t in candidates)
        {
            double j = Above(pos, t) / (double)pos.Length - Above(neg, t) / (double)neg.Length;
            if (j > bestJ) { bestJ = j; best = t; }   // strict: on ties the earlier, higher τ stays
        }
        return best;
    }

    /// <summary>How many of the sorted scores are strictly above t.</summary>
    private static int Above(float[] sorted, float t)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] > t) hi = mid; else lo = mid + 1;
        }
        return sorted.Length - lo;
    }
}
