using System.Globalization;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// The gossip weights W: after a round agent i holds Σ_j W_ij x_j. Stored per row as only the non-zeros (agents
/// combine over N_i ∪ {i} without scanning n entries), so ten thousand agents on a ring cost kilobytes, not the
/// 800 MB of an n×n array. The dense row-major form is built only when a spectrum asks for it (at most
/// <see cref="MaxDenseAgents"/> agents). Immutable.
/// </summary>
public sealed class MixingMatrix
{
    /// <summary>Largest matrix whose dense form is built (for eigenvalues): 5,000² doubles are 200 MB.</summary>
    public const int MaxDenseAgents = 5000;

    private double[]? _dense;
    private readonly MixingEntry[][] _rows;
    private readonly IReadOnlyList<MixingEntry>[] _rowViews;

    private MixingMatrix(int n, double[]? dense, MixingEntry[][] rows)
    {
        Size = n;
        _dense = dense;
        _rows = rows;
        _rowViews = rows.Select(r => (IReadOnlyList<MixingEntry>)Array.AsReadOnly(r)).ToArray();
    }

    public int Size { get; }

    /// <summary>W_ij (0 off the row's non-zeros), by binary search in row i.</summary>
    public double Weight(int i, int j)
    {
        var row = _rows[i];
        int lo = 0, hi = row.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int node = row[mid].Node;
            if (node == j) return row[mid].Weight;
            if (node < j) lo = mid + 1;
            else hi = mid - 1;
        }
        return 0;
    }

    public double SelfWeight(int i) => Weight(i, i);

    /// <summary>
    /// Row i restricted to N_i ∪ {i} (for a dense matrix: the diagonal and every non-zero), ascending by node, the
    /// self entry included in its place. Combining in this fixed order keeps floating-point sums reproducible.
    /// </summary>
    public IReadOnlyList<MixingEntry> RowEntries(int i) => _rowViews[i];

    /// <summary>A copy of the dense row-major matrix (at most <see cref="MaxDenseAgents"/> agents).</summary>
    public double[] ToArray() => (double[])DenseArray().Clone();

    /// <summary>The dense row-major matrix without copying, for the spectra in this namespace.</summary>
    internal ReadOnlySpan<double> Dense => DenseArray();

    private double[] DenseArray()
    {
        if (_dense is not null) return _dense;
        if (Size > MaxDenseAgents)
            throw new InvalidOperationException($"a dense {Size}×{Size} mixing matrix is not built (at most {MaxDenseAgents} agents)");
        var dense = new double[Size * Size];
        for (int i = 0; i < Size; i++)
            foreach (var e in _rows[i]) dense[i * Size + e.Node] = e.Weight;
        return _dense = dense;
    }

    /// <summary>Config and CLI names: <c>uniform</c>, <c>mh</c> (alias <c>metropolis-hastings</c>).</summary>
    /// <summary>
    /// Weights for <paramref name="graph"/> under <paramref name="kind"/>, with CCL's averaging rate γ:
    /// W_γ = (1−γ)I + γW, i.e. x_i ← x_i + γ(Σ_j w_ij x_j − x_i). γ = 1 is plain gossip. Eigenvalues map as
    /// λ ↦ 1 − γ + γλ, so γ &lt; 1 damps the negative end of the spectrum (CCL uses 0.9 on the torus and Dyck graph).
    /// </summary>
    public static MixingMatrix Build(Graph graph, MixingKind kind, double gamma = 1.0)
    {
        if (!(gamma > 0 && gamma <= 1))
            throw new InputException($"topology.gamma = {gamma.ToString("G6", CultureInfo.InvariantCulture)}: expected an averaging rate in (0, 1]");
        int n = graph.Nodes;
        var rows = new MixingEntry[n][];
        for (int i = 0; i < n; i++)
        {
            var neighbors = graph.Neighbors(i);
            var row = new MixingEntry[neighbors.Count + 1];
            int selfSlot = CountBelow(neighbors, i);  // neighbours are sorted: self goes between those below and above i
            double offDiagonal = 0;
            for (int k = 0; k < neighbors.Count; k++)
            {
                int j = neighbors[k];
                double wij = gamma * OffDiagonal(kind, graph.Degree(i), graph.Degree(j));
                offDiagonal += wij;
                row[k < selfSlot ? k : k + 1] = new MixingEntry(j, wij);
            }
            // Self weight last, as 1 − Σ_j w_ij: each row sums to 1 up to one rounding, whatever the kind or γ.
            // With the off-diagonals already scaled by γ this is (1 − γ) + γ(1 − Σ_j w_ij), the diagonal of W_γ.
            double self = 1 - offDiagonal;
            row[selfSlot] = new MixingEntry(i, self);
            rows[i] = row;
        }
        return new MixingMatrix(n, null, rows);
    }

    /// <summary>
    /// w_ij before the γ scaling for an edge between agents of degrees <paramref name="degreeI"/> and
    /// <paramref name="degreeJ"/>: uniform 1/(deg_i + 1) or Metropolis–Hastings 1/(1 + max(deg_i, deg_j)). The one
    /// definition behind static matrices and the rows time-varying schedules build per round.
    /// </summary>
    public static double OffDiagonal(MixingKind kind, int degreeI, int degreeJ) => kind switch
    {
        MixingKind.Uniform => 1.0 / (degreeI + 1),
        MixingKind.MetropolisHastings => 1.0 / (1 + Math.Max(degreeI, degreeJ)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a mixing kind"),
    };

    /// <summary>Any square matrix (tests and hand-made examples); no stochasticity is assumed or enforced.</summary>
    public static MixingMatrix FromDense(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (n == 0 || matrix.GetLength(1) != n) throw new ArgumentException($"mixing matrix must be square and non-empty, got {n}×{matrix.GetLength(1)}", nameof(matrix));
        var dense = new double[n * n];
        var rows = new MixingEntry[n][];
        for (int i = 0; i < n; i++)
        {
            var row = new List<MixingEntry>();
            for (int j = 0; j < n; j++)
            {
                double w = matrix[i, j];
                if (!double.IsFinite(w)) throw new ArgumentException($"mixing matrix entry ({i},{j}) = {w} is not finite", nameof(matrix));
                dense[i * n + j] = w;
                if (w != 0 || i == j) row.Add(new MixingEntry(j, w));
            }
            rows[i] = [.. row];
        }
        return new MixingMatrix(n, dense, rows);
    }

    private static int CountBelow(IReadOnlyList<int> sorted, int value)
    {
        int count = 0;
        while (count < sorted.Count && sorted[count] < value) count++;
        return count;
    }
}
