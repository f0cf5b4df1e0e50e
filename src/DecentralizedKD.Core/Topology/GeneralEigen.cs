using System.Numerics;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Eigenvalues of a general real matrix (complex pairs included), for mixing matrices that are not symmetric.
/// Householder reflections bring the matrix to upper Hessenberg form, then Francis double-shift QR iterations
/// (the EISPACK <c>hqr</c> scheme) deflate 1×1 and 2×2 blocks from the bottom. Real arithmetic throughout: a
/// complex-conjugate shift pair is applied as one real double step. About 10n³ flops: fine for hundreds of nodes.
/// No balancing: mixing matrices have entries in [0, 1], so they are already well scaled.
/// </summary>
public static class GeneralEigen
{
    private const double MachineEpsilon = 2.220446049250313e-16;
    private const int MaxIterationsPerEigenvalue = 60;

    /// <summary>Eigenvalues of the n×n matrix given row-major, in no particular order. The input is not modified.</summary>
    public static Complex[] Values(ReadOnlySpan<double> matrix, int n)
    {
        if (n < 0 || matrix.Length != n * n) throw new ArgumentException($"expected {n}×{n} = {n * n} entries, got {matrix.Length}", nameof(matrix));
        var h = matrix.ToArray();
        ReduceToHessenberg(h, n);
        return HessenbergQr(h, n);
    }

    /// <summary>
    /// H = QᵀAQ with Q a product of reflections I − βvvᵀ, column by column; a similarity, so eigenvalues are kept.
    /// </summary>
    private static void ReduceToHessenberg(double[] a, int n)
    {
        var v = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int start = k + 1, m = n - start;
            double scale = 0;
            for (int i = start; i < n; i++) scale = Math.Max(scale, Math.Abs(a[i * n + k]));
            if (scale == 0) continue;
            double norm2 = 0;
            for (int i = 0; i < m; i++) { v[i] = a[(start + i) * n + k] / scale; norm2 += v[i] * v[i]; }
            double alpha = v[0] >= 0 ? -Math.Sqrt(norm2) : Math.Sqrt(norm2);
            v[0] -= alpha;
            double vtv = 0;
            for (int i = 0; i < m; i++) vtv += v[i] * v[i];
            if (vtv == 0) continue;
            double beta = 2 / vtv;

            // From the left, rows start..n−1 (columns before k are already zero there).
            for (int j = k; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < m; i++) s += v[i] * a[(start + i) * n + j];
                s *= beta;
                for (int i = 0; i < m; i++) a[(start + i) * n + j] -= s * v[i];
            }
            // From the right, columns start..n−1 of every row.
            for (int i = 0; i < n; i++)
            {
                var row = new Span<double>(a, i * n + start, m);
                double s = 0;
                for (int j = 0; j < m; j++) s += row[j] * v[j];
                s *= beta;
                for (int j = 0; j < m; j++) row[j] -= s * v[j];
            }
            a[start * n + k] = alpha * scale;
            for (int i = start + 1; i < n; i++) a[i * n + k] = 0;  // exactly zero, not rounding noise
        }
    }

    /// <summary>
    /// Shifted QR on the Hessenberg matrix h (destroyed). Works on the active window l..hi: deflate when a
    /// subdiagonal entry is negligible, read off 1×1 or 2×2 blocks at the bottom, otherwise apply one Francis double
    /// step whose shifts are the eigenvalues of the trailing 2×2 block (with ad-hoc shifts at iterations 10, 20, …
    /// to break rare cycles). Shifts already subtracted from the diagonal accumulate in <c>t</c>.
    /// </summary>
    private static Complex[] HessenbergQr(double[] h, int n)
    {
        var values = new Complex[n];
        double norm = 0;
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(i - 1, 0); j < n; j++) norm += Math.Abs(h[i * n + j]);

        double t = 0;
        int hi = n - 1, iterations = 0;
        while (hi >= 0)
        {
            int l = hi;
            for (; l > 0; l--)
            {
                double s = Math.Abs(h[(l - 1) * n + l - 1]) + Math.Abs(h[l * n + l]);
                if (s == 0) s = norm;
                if (Math.Abs(h[l * n + l - 1]) <= MachineEpsilon * s) { h[l * n + l - 1] = 0; break; }
            }
            double x = h[hi * n + hi];
            if (l == hi)
            {
                values[hi--] = new Complex(x + t, 0);
                iterations = 0;
                continue;
            }
            double y = h[(hi - 1) * n + hi - 1];
            double w = h[hi * n + hi - 1] * h[(hi - 1) * n + hi];
            if (l == hi - 1)
            {
                // Trailing 2×2 block [[y, ·], [·, x]]: eigenvalues x + p ± √(p² + w), p = (y − x)/2.
                double p = 0.5 * (y - x), q = p * p + w, z = Math.Sqrt(Math.Abs(q));
                x += t;
                if (q >= 0)
                {
                    z = p + Math.CopySign(z, p);  // the larger root first, the other from the product: no cancellation
                    values[hi - 1] = new Complex(x + z, 0);
                    values[hi] = new Complex(z != 0 ? x - w / z : x + z, 0);
                }
                else
                {
                    values[hi - 1] = new Complex(x + p, z);
                    values[hi] = new Complex(x + p, -z);
                }
                hi -= 2;
                iterations = 0;
                continue;
            }
            if (iterations == MaxIterationsPerEigenvalue)
                throw new InvalidOperationException($"general eigenvalues: QR did not converge ({n - hi - 1} of {n} found)");
            if (iterations > 0 && iterations % 10 == 0)
            {
                t += x;
                for (int i = 0; i <= hi; i++) h[i * n + i] -= x;
                double s = Math.Abs(h[hi * n + hi - 1]) + Math.Abs(h[(hi - 1) * n + hi - 2]);
                x = y = 0.75 * s;
                w = -0.4375 * s * s;
            }
            iterations++;
            DoubleStep(h, n, l, hi, x, y, w);
        }
        return values;
    }

    /// <summary>
    /// One Francis double step on rows/columns l..hi with shifts whose sum is x + y and product xy − w. It starts
    /// at the lowest m ≥ l where the step's first column is already nearly decoupled from row m − 1 (cheaper and
    /// more accurate), and chases the 3×3 bulge down with reflections.
    /// </summary>
    private static void DoubleStep(double[] h, int n, int l, int hi, double x, double y, double w)
    {
        double p = 0, q = 0, r = 0, z;
        int m;
        for (m = hi - 2; m >= l; m--)
        {
            z = h[m * n + m];
            double rr = x - z, ss = y - z;
            p = (rr * ss - w) / h[(m + 1) * n + m] + h[m * n + m + 1];
            q = h[(m + 1) * n + m + 1] - z - rr - ss;
            r = h[(m + 2) * n + m + 1];
            double scale = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
            p /= scale; q /= scale; r /= scale;
            if (m == l) break;
            double u = Math.Abs(h[m * n + m - 1]) * (Math.Abs(q) + Math.Abs(r));
            double v = Math.Abs(p) * (Math.Abs(h[(m - 1) * n + m - 1]) + Math.Abs(z) + Math.Abs(h[(m + 1) * n + m + 1]));
            if (u <= MachineEpsilon * v) break;
        }
        for (int i = m + 2; i <= hi; i++)
        {
            h[i * n + i - 2] = 0;
            if (i != m + 2) h[i * n + i - 3] = 0;
        }
        for (int k = m; k <= hi - 1; k++)
        {
            if (k != m)
            {
                p = h[k * n + k - 1];
                q = h[(k + 1) * n + k - 1];
                r = k != hi - 1 ? h[(k + 2) * n + k - 1] : 0;
                x = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
                if (x != 0) { p /= x; q /= x; r /= x; }
            }
            double s = Math.CopySign(Math.Sqrt(p * p + q * q + r * r), p);
            if (s == 0) continue;
            if (k == m)
            {
                if (l != m) h[k * n + k - 1] = -h[k * n + k - 1];
            }
            else
            {
                h[k * n + k - 1] = -s * x;
            }
            p += s;
            x = p / s;
            y = q / s;
            z = r / s;
            q /= p;
            r /= p;
            for (int j = k; j <= hi; j++)
            {
                double sum = h[k * n + j] + q * h[(k + 1) * n + j];
                if (k != hi - 1)
                {
                    sum += r * h[(k + 2) * n + j];
                    h[(k + 2) * n + j] -= sum * z;
                }
                h[(k + 1) * n + j] -= sum * y;
                h[k * n + j] -= sum * x;
            }
            int last = Math.Min(hi, k + 3);
            for (int i = l; i <= last; i++)
            {
                double sum = x * h[i * n + k] + y * h[i * n + k + 1];
                if (k != hi - 1)
                {
                    sum += z * h[i * n + k + 2];
                    h[i * n + k + 2] -= sum * r;
                }
                h[i * n + k + 1] -= sum * q;
                h[i * n + k] -= sum;
            }
        }
    }
}
