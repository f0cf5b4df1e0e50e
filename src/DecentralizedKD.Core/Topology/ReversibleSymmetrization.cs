namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Uniform weights on an irregular graph give a non-symmetric W, but a *reversible* one: with π_i = deg_i + 1,
/// π_i w_ij = π_j w_ji. Any such W is similar to the symmetric S = D^{1/2} W D^{−1/2} (D = diag π), whose entries
/// are s_ij = ±√(w_ij w_ji). So its spectrum is real and the fast, accurate symmetric solver applies. This class
/// finds π if it exists (propagating ratios along non-zeros, in logs so long paths cannot overflow) and builds S.
/// </summary>
internal static class ReversibleSymmetrization
{
    private const double RelativeTolerance = 1e-12;

    /// <summary>S row-major, or null when W is not reversible (then use the general solver).</summary>
    public static double[]? TrySymmetrize(MixingMatrix w)
    {
        int n = w.Size;
        var a = w.Dense;
        var logPi = new double[n];
        var assigned = new bool[n];
        var queue = new Queue<int>();
        for (int root = 0; root < n; root++)
        {
            if (assigned[root]) continue;
            assigned[root] = true;  // each strongly connected piece has its own free scale; log π = 0 fixes it
            queue.Enqueue(root);
            while (queue.Count > 0)
            {
                int i = queue.Dequeue();
                foreach (var entry in w.RowEntries(i))
                {
                    int j = entry.Node;
                    if (j == i || entry.Weight == 0) continue;
                    double back = a[j * n + i];
                    if (back == 0 || Math.Sign(back) != Math.Sign(entry.Weight)) return null;  // zero pattern or signs not symmetric
                    double candidate = logPi[i] + Math.Log(Math.Abs(entry.Weight)) - Math.Log(Math.Abs(back));
                    if (!assigned[j]) { assigned[j] = true; logPi[j] = candidate; queue.Enqueue(j); }
                    else if (Math.Abs(candidate - logPi[j]) > RelativeTolerance * Math.Max(1, Math.Abs(logPi[j]))) return null;
                }
            }
        }
        var s = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            s[i * n + i] = a[i * n + i];
            foreach (var entry in w.RowEntries(i))
                if (entry.Node != i && entry.Weight != 0)
                    s[i * n + entry.Node] = Math.CopySign(Math.Sqrt(entry.Weight * a[entry.Node * n + i]), entry.Weight);
        }
        return s;
    }
}
