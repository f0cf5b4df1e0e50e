namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Properties of a topology and its mixing matrix that decide whether and how fast gossip reaches consensus:
/// connectivity (otherwise never), double stochasticity (otherwise the network average drifts), and the spectral
/// gap (consensus error shrinks roughly like (1 − gap)^t).
/// </summary>
public static class TopologyChecks
{
    public static bool IsConnected(Graph graph) => graph.IsConnected();

    /// <summary>W = Wᵀ entry by entry, within <paramref name="tolerance"/>.</summary>
    public static bool IsSymmetric(MixingMatrix w, double tolerance = 1e-12)
    {
        var a = w.Dense;
        int n = w.Size;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (Math.Abs(a[i * n + j] - a[j * n + i]) > tolerance) return false;
        return true;
    }

    /// <summary>Non-negative entries and every row sums to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsRowStochastic(MixingMatrix w, double tolerance = 1e-9) => StochasticSums(w, tolerance, columns: false);

    /// <summary>Non-negative entries and every row and every column sums to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsDoublyStochastic(MixingMatrix w, double tolerance = 1e-9) =>
        StochasticSums(w, tolerance, columns: false) && StochasticSums(w, tolerance, columns: true);

    /// <summary>
    /// Moduli of all eigenvalues of W, largest first. Symmetric W: symmetric solver. Reversible W (uniform weights on
    /// any graph): symmetric solver on its symmetrisation, same spectrum. Anything else: general real solver.
    /// </summary>
    public static double[] EigenvalueModuli(MixingMatrix w)
    {
        double[] moduli;
        if (IsSymmetric(w))
            moduli = SymmetricEigen.Values(w.Dense, w.Size).Select(Math.Abs).ToArray();
        else if (ReversibleSymmetrization.TrySymmetrize(w) is double[] s)
            moduli = SymmetricEigen.Values(s, w.Size).Select(Math.Abs).ToArray();
        else
            moduli = GeneralEigen.Values(w.Dense, w.Size).Select(z => z.Magnitude).ToArray();
        Array.Sort(moduli, (x, y) => y.CompareTo(x));
        return moduli;
    }

    /// <summary>
    /// 1 − (second-largest eigenvalue modulus) = 1 − max(|λ₂|, |λₙ|) for a stochastic W whose top eigenvalue is 1:
    /// 1 means one round averages exactly (full graph, weights 1/n); 0 means some disagreement never decays
    /// (a disconnected graph, or a bipartite one without self weight). A single agent has nothing to mix: gap 1.
    /// </summary>
    public static double SpectralGap(MixingMatrix w) => w.Size == 1 ? 1.0 : 1 - EigenvalueModuli(w)[1];

    /// <summary>Everything <c>dkd topology</c> prints, in one pass.</summary>
    public static TopologySummary Summarize(Graph graph, MixingMatrix w)
    {
        if (graph.Nodes != w.Size) throw new ArgumentException($"graph has {graph.Nodes} nodes but the mixing matrix is {w.Size}×{w.Size}", nameof(w));
        int minDegree = int.MaxValue, maxDegree = 0;
        for (int i = 0; i < graph.Nodes; i++)
        {
            minDegree = Math.Min(minDegree, graph.Degree(i));
            maxDegree = Math.Max(maxDegree, graph.Degree(i));
        }
        return new TopologySummary(
            graph.Nodes,
            graph.EdgeCount,
            minDegree,
            maxDegree,
            graph.IsConnected(),
            IsSymmetric(w),
            IsDoublyStochastic(w),
            SpectralGap(w));
    }

    private static bool StochasticSums(MixingMatrix w, double tolerance, bool columns)
    {
        var a = w.Dense;
        int n = w.Size;
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                double x = columns ? a[j * n + i] : a[i * n + j];
                if (x < -tolerance) return false;
                sum += x;
            }
            if (!(Math.Abs(sum - 1) <= tolerance)) return false;
        }
        return true;
    }
}
