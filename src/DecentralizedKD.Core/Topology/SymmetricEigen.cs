namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Eigenvalues of a real symmetric matrix, in pure C# so <c>dkd topology</c> needs no native library. Householder
/// reflections reduce the matrix to tridiagonal form (≈ 4n³/3 flops on the lower triangle), then implicit QL sweeps
/// shifted by the trailing 2×2 block find the eigenvalues of the tridiagonal matrix (O(n²)). Orthogonal
/// transformations only, so the eigenvalues are accurate to a small multiple of machine precision times ‖A‖;
/// n = 1000 takes about a second. Cyclic Jacobi would be simpler but needs many O(n³) sweeps.
/// </summary>
public static class SymmetricEigen
{
    private const int MaxSweepsPerEigenvalue = 60;
    private const double MachineEpsilon = 2.220446049250313e-16;  // 2^−52 (double.Epsilon is the smallest subnormal instead)

    /// <summary>
    /// Eigenvalues of the symmetric n×n matrix given row-major, ascending. Only the lower triangle is read
    /// (the caller decides what counts as symmetric). The input is not modified.
    /// </summary>
    public static double[] Values(ReadOnlySpan<double> matrix, int n)
    {
        if (n < 0 || matrix.Length != n * n) throw new ArgumentException($"expected {n}×{n} = {n * n} entries, got {matrix.Length}", nameof(matrix));
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            matrix.Slice(i * n, i + 1).CopyTo(a.AsSpan(i * n, i + 1));
        var (diagonal, offDiagonal) = Tridiagonalize(a, n);
        TridiagonalQl(diagonal, offDiagonal);
        Array.Sort(diagonal);
        return diagonal;
    }

    /// <summary>
    /// Householder reduction: for each column k, a reflection H = I − βvvᵀ zeroes the entries below the subdiagonal;
    /// the trailing block B is updated as HBH = B − vwᵀ − wvᵀ with p = βBv, w = p − (βpᵀv/2)v. B is symmetric, so
    /// only its lower triangle is read and written (half the work). Returns the diagonal d and subdiagonal e
    /// (e[k] couples k and k+1; e[n−1] = 0). Destroys <paramref name="a"/>.
    /// </summary>
    private static (double[] D, double[] E) Tridiagonalize(double[] a, int n)
    {
        var d = new double[n];
        var e = new double[n];
        var v = new double[n];
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int start = k + 1, m = n - start;
            double scale = 0;
            for (int i = start; i < n; i++) scale = Math.Max(scale, Math.Abs(a[i * n + k]));
            d[k] = a[k * n + k];
            if (scale == 0) { e[k] = 0; continue; }  // column already reduced

            // Scaling by the largest entry keeps the norm from overflowing or underflowing.
            double norm2 = 0;
            for (int i = 0; i < m; i++) { v[i] = a[(start + i) * n + k] / scale; norm2 += v[i] * v[i]; }
            double alpha = v[0] >= 0 ? -Math.Sqrt(norm2) : Math.Sqrt(norm2);  // opposite sign: no cancellation in v0 − α
            e[k] = alpha * scale;
            v[0] -= alpha;
            double vtv = 0;
            for (int i = 0; i < m; i++) vtv += v[i] * v[i];
            if (vtv == 0) continue;
            double beta = 2 / vtv;

            // p = B v from the lower triangle: row i contributes L_i·v to p_i and v_i·L_i to p_0..p_{i−1}.
            var vs = new ReadOnlySpan<double>(v, 0, m);
            var ps = new Span<double>(p, 0, m);
            ps.Clear();
            for (int i = 0; i < m; i++)
            {
                var below = new ReadOnlySpan<double>(a, (start + i) * n + start, i);
                ps[i] += DenseKernels.Dot(below, vs[..i]) + a[(start + i) * n + start + i] * vs[i];
                DenseKernels.Axpy(vs[i], below, ps[..i]);
            }
            double ptv = 0;
            for (int i = 0; i < m; i++) { ps[i] *= beta; ptv += ps[i] * vs[i]; }
            double half = beta * ptv / 2;
            for (int i = 0; i < m; i++) ps[i] -= half * vs[i];  // p is now w
            for (int i = 0; i < m; i++)
            {
                var row = new Span<double>(a, (start + i) * n + start, i + 1);
                DenseKernels.Axpy(-vs[i], ps[..(i + 1)], row);
                DenseKernels.Axpy(-ps[i], vs[..(i + 1)], row);
            }
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1];
        return (d, e);
    }

    /// <summary>
    /// Implicit QL on the symmetric tridiagonal matrix (d, e): for each l, chase a bulge from the first negligible
    /// subdiagonal m back up to l with Givens rotations, shifted by the eigenvalue of the leading 2×2 block closest to
    /// d[l], until e[l] is negligible; then d[l] is an eigenvalue. Overwrites d with the (unsorted) eigenvalues.
    /// </summary>
    private static void TridiagonalQl(double[] d, double[] e)
    {
        int n = d.Length;
        for (int l = 0; l < n; l++)
        {
            for (int sweep = 0; ; sweep++)
            {
                int m = l;
                while (m < n - 1 && !Negligible(e[m], d[m], d[m + 1])) m++;
                if (m == l) break;
                if (sweep == MaxSweepsPerEigenvalue)
                    throw new InvalidOperationException($"symmetric eigenvalues: QL did not converge for eigenvalue {l} of {n}");

                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));  // d[m] − shift, shift from the 2×2 block at l
                double s = 1, c = 1, p = 0;
                int i;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // Underflow: the matrix split at i; finish this partial sweep and look for the split again.
                        d[i + 1] -= p;
                        e[m] = 0;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (r == 0 && i >= l) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /// <summary>A subdiagonal entry this small next to its diagonal neighbours no longer changes them in floating point.</summary>
    private static bool Negligible(double offDiagonal, double a, double b) =>
        Math.Abs(offDiagonal) <= MachineEpsilon * (Math.Abs(a) + Math.Abs(b));

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        if (ax < ay) (ax, ay) = (ay, ax);
        if (ax == 0) return 0;
        double t = ay / ax;
        return ax * Math.Sqrt(1 + t * t);
    }
}
