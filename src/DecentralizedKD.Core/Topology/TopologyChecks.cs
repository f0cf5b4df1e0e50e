using MathNet.Numerics.LinearAlgebra;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Properties of a topology and its mixing matrix that decide whether and how fast gossip reaches consensus:
/// connectivity (otherwise never), double stochasticity (otherwise the network average drifts), and the spectral
/// gap (consensus error shrinks roughly like (1 − gap)^t).
/// </summary>
public static class TopologyChecks
{
    /// <summary>Above this many agents the n×n eigenvalue problems take minutes: spectral gaps are left out (null).</summary>
    public const int MaxSpectralAgents = 2000;

    public static bool IsConnected(Graph graph) => graph.IsConnected();

    /// <summary>W = Wᵀ entry by entry, within <paramref name="tolerance"/>.</summary>
    public static bool IsSymmetric(MixingMatrix w, double tolerance = 1e-12)
    {
        // Over the non-zeros only: an entry whose mirror is absent is compared with 0.
        for (int i = 0; i < w.Size; i++)
            foreach (var e in w.RowEntries(i))
                if (e.Node != i && Math.Abs(e.Weight - w.Weight(e.Node, i)) > tolerance) return false;
        return true;
    }

    /// <summary>Non-negative entries and every row sums to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsRowStochastic(MixingMatrix w, double tolerance = 1e-9) => StochasticSums(w, tolerance, columns: false);

    /// <summary>Non-negative entries and every row and every column sums to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsDoublyStochastic(MixingMatrix w, double tolerance = 1e-9) =>
        StochasticSums(w, tolerance, columns: false) && StochasticSums(w, tolerance, columns: true);

    /// <summary>
    /// Moduli of all eigenvalues of W, largest first, from MathNet.Numerics' managed eigen decomposition (pure C#, so
    /// the same bits on every machine). Symmetric W: the symmetric solver. Reversible W (uniform weights on any graph):
    /// the symmetric solver on its symmetrisation, same spectrum. Anything else: the general real solver. The
    /// symmetric one is about 2.5× faster at n = 1000; both also compute eigenvectors, O(n³): seconds at a thousand
    /// agents.
    /// </summary>
    public static double[] EigenvalueModuli(MixingMatrix w)
    {
        int n = w.Size;
        double[] moduli;
        if (IsSymmetric(w))
            moduli = SymmetricModuli(w.Dense, n);
        else if (ReversibleSymmetrization.TrySymmetrize(w) is double[] s)
            moduli = SymmetricModuli(s, n);
        else
            moduli = Matrix<double>.Build.DenseOfRowMajor(n, n, w.Dense.ToArray())
                .Evd(Symmetricity.Asymmetric).EigenValues.Select(z => z.Magnitude).ToArray();
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
            w.Size <= MaxSpectralAgents ? SpectralGap(w) : null);
    }

    /// <summary>
    /// |λ| of a symmetric matrix given row-major. W counts as symmetric within a tolerance, so the lower triangle is
    /// mirrored first: the solver then sees an exactly symmetric matrix, whatever it reads. A symmetric array is the
    /// same in row- and column-major order, so MathNet takes it as its storage without a copy.
    /// </summary>
    private static double[] SymmetricModuli(ReadOnlySpan<double> matrix, int n)
    {
        var mirrored = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                mirrored[i * n + j] = mirrored[j * n + i] = matrix[i * n + j];
        var values = Matrix<double>.Build.Dense(n, n, mirrored).Evd(Symmetricity.Symmetric).EigenValues;
        return values.Select(z => Math.Abs(z.Real)).ToArray();
    }

    private static bool StochasticSums(MixingMatrix w, double tolerance, bool columns)
    {
        // Over the non-zeros, in ascending row then column order, as a dense scan would add them (zeros add nothing).
        int n = w.Size;
        var sums = new double[n];
        for (int i = 0; i < n; i++)
            foreach (var e in w.RowEntries(i))
            {
                if (e.Weight < -tolerance) return false;
                sums[columns ? e.Node : i] += e.Weight;
            }
        return sums.All(sum => Math.Abs(sum - 1) <= tolerance);
    }
}
