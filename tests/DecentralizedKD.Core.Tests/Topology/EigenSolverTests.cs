using System.Numerics;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class EigenSolverTests
{
    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(2, 2UL)]
    [InlineData(3, 3UL)]
    [InlineData(17, 4UL)]
    [InlineData(80, 5UL)]
    public void Symmetric_solver_recovers_a_planted_spectrum(int n, ulong seed)
    {
        var rng = new Rng(seed);
        // Distinct, repeated, negative and nearly equal eigenvalues.
        var lambda = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0.75 : rng.NextDouble() * 4 - 2).ToArray();
        if (n > 2) lambda[1] = lambda[2] + 1e-9;
        var a = Similar(lambda, RandomOrthogonal(n, rng), upper: null);
        var values = SymmetricEigen.Values(a, n);
        Assert.Equal(lambda.Order().ToArray(), values, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Symmetric_solver_preserves_trace_and_frobenius_norm_and_agrees_with_torch()
    {
        const int n = 60;
        var rng = new Rng(42);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = rng.NextNormal();
        var values = SymmetricEigen.Values(a, n);
        Assert.Equal(Enumerable.Range(0, n).Sum(i => a[i * n + i]), values.Sum(), 10);
        Assert.Equal(Math.Sqrt(a.Sum(x => x * x)), Math.Sqrt(values.Sum(x => x * x)), 10);   // ‖A‖_F² = Σλ²
        Assert.True(values.Zip(values.Skip(1)).All(p => p.First <= p.Second));   // ascending
        var reference = TorchReference.Symmetric(a, n);
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], values[i], 11);
    }

    [Fact]
    public void Symmetric_solver_handles_degenerate_inputs()
    {
        Assert.Empty(SymmetricEigen.Values([], 0));
        Assert.Equal(new[] { -3.0 }, SymmetricEigen.Values([-3.0], 1));
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, SymmetricEigen.Values(new double[9], 3));
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 1.0 }, SymmetricEigen.Values(Identity(4), 4));
        Assert.Equal(new[] { -2.0, 5.0, 7.0 }, SymmetricEigen.Values([7, 0, 0, 0, -2, 0, 0, 0, 5], 3));
        // [[2, 1], [1, 2]] → 1, 3; badly scaled copies keep their relative accuracy.
        foreach (double scale in new[] { 1.0, 1e-150, 1e150 })
        {
            var v = SymmetricEigen.Values([2 * scale, scale, scale, 2 * scale], 2);
            Assert.Equal(1.0, v[0] / scale, 14);
            Assert.Equal(3.0, v[1] / scale, 14);
        }
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Values(new double[5], 2));
    }

    [Fact]
    public void Symmetric_solver_reads_only_the_lower_triangle_and_leaves_the_input_alone()
    {
        double[] a = [2, 99, 1, 2];   // upper entry ignored: same as [[2, 1], [1, 2]]
        var copy = (double[])a.Clone();
        Assert.Equal(new[] { 1.0, 3.0 }, SymmetricEigen.Values(a, 2).Select(x => Math.Round(x, 12)));
        Assert.Equal(copy, a);
    }

    [Theory]
    [InlineData(5, 7UL)]
    [InlineData(12, 8UL)]
    [InlineData(40, 9UL)]
    public void General_solver_recovers_planted_real_and_complex_eigenvalues(int n, ulong seed)
    {
        var rng = new Rng(seed);
        // T: quasi-upper-triangular with 2×2 blocks [[a, b], [−b, a]] (eigenvalues a ± bi) and real 1×1 blocks,
        // random strictly-upper part so QTQᵀ is far from normal.
        var expected = new List<Complex>();
        var t = new double[n * n];
        int k = 0;
        while (k < n)
        {
            if (k + 1 < n && rng.NextDouble() < 0.5)
            {
                double re = rng.NextDouble() * 2 - 1, im = 0.1 + rng.NextDouble();
                t[k * n + k] = re; t[k * n + k + 1] = im;
                t[(k + 1) * n + k] = -im; t[(k + 1) * n + k + 1] = re;
                expected.Add(new Complex(re, im));
                expected.Add(new Complex(re, -im));
                k += 2;
            }
            else
            {
                t[k * n + k] = rng.NextDouble() * 2 - 1;
                expected.Add(new Complex(t[k * n + k], 0));
                k += 1;
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 2; j < n; j++) t[i * n + j] = rng.NextNormal() * 0.5;
        var a = Similar(null, RandomOrthogonal(n, rng), upper: t);
        var values = GeneralEigen.Values(a, n);
        AssertSameMultiset(expected, values, 1e-9);
    }

    [Fact]
    public void General_solver_on_a_companion_matrix_finds_the_polynomial_roots()
    {
        // Roots 1, 2, −3, ±i; the monic polynomial is expanded here and its companion matrix built.
        Complex[] roots = [1, 2, -3, Complex.ImaginaryOne, -Complex.ImaginaryOne];
        var coefficients = new Complex[] { 1 };
        foreach (var r in roots)
        {
            var next = new Complex[coefficients.Length + 1];
            for (int i = 0; i < coefficients.Length; i++) { next[i] += coefficients[i]; next[i + 1] -= r * coefficients[i]; }
            coefficients = next;
        }
        int n = roots.Length;
        var c = new double[n * n];
        for (int j = 0; j < n; j++) c[j] = -coefficients[j + 1].Real;   // first row: −a₁ … −aₙ
        for (int i = 1; i < n; i++) c[i * n + i - 1] = 1;
        AssertSameMultiset(roots, GeneralEigen.Values(c, n), 1e-10);
    }

    [Fact]
    public void General_solver_agrees_with_torch_and_preserves_trace_invariants()
    {
        const int n = 30;
        var rng = new Rng(5);
        var a = Enumerable.Range(0, n * n).Select(_ => rng.NextNormal()).ToArray();
        var values = GeneralEigen.Values(a, n);
        // Σλ = tr A and Σλ² = tr A², both real.
        double trace = Enumerable.Range(0, n).Sum(i => a[i * n + i]);
        double traceSquare = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) traceSquare += a[i * n + j] * a[j * n + i];
        var sum = values.Aggregate(Complex.Zero, (s, z) => s + z);
        var sumSquares = values.Aggregate(Complex.Zero, (s, z) => s + z * z);
        Assert.Equal(trace, sum.Real, 9);
        Assert.Equal(0, sum.Imaginary, 9);
        Assert.Equal(traceSquare, sumSquares.Real, 8);
        Assert.Equal(0, sumSquares.Imaginary, 8);
        var reference = TorchReference.Moduli(a, n);
        var moduli = values.Select(z => z.Magnitude).OrderDescending().ToArray();
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], moduli[i], 9);
    }

    [Fact]
    public void General_solver_handles_degenerate_inputs()
    {
        Assert.Empty(GeneralEigen.Values([], 0));
        Assert.Equal(new Complex[] { 4 }, GeneralEigen.Values([4.0], 1));
        AssertSameMultiset([0, 0, 0], GeneralEigen.Values(new double[9], 3), 0);
        AssertSameMultiset([1, 1, 1, 1], GeneralEigen.Values(Identity(4), 4), 1e-15);
        AssertSameMultiset([3, -1, 2], GeneralEigen.Values([3, 5, 7, 0, -1, 4, 0, 0, 2], 3), 1e-14);   // triangular
        AssertSameMultiset([Complex.ImaginaryOne, -Complex.ImaginaryOne], GeneralEigen.Values([0, -1, 1, 0], 2), 1e-15);
        // A cyclic permutation: the n-th roots of unity, all of modulus 1 (no unique dominant eigenvalue).
        const int n = 6;
        var p = new double[n * n];
        for (int i = 0; i < n; i++) p[i * n + (i + 1) % n] = 1;
        var roots = Enumerable.Range(0, n).Select(k => Complex.FromPolarCoordinates(1, 2 * Math.PI * k / n)).ToArray();
        AssertSameMultiset(roots, GeneralEigen.Values(p, n), 1e-12);
    }

    [Fact]
    public void Symmetric_solver_is_fast_enough_for_hundreds_of_agents()
    {
        const int n = 400;
        var w = MixingMatrix.Build(TopologyFactory.Create("ring", n), MixingKind.Uniform);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        double gap = TopologyChecks.SpectralGap(w);
        watch.Stop();
        Assert.Equal(1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / n)), gap, 12);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    private static void AssertSameMultiset(IEnumerable<Complex> expected, IEnumerable<Complex> actual, double tolerance)
    {
        var left = actual.ToList();
        Assert.Equal(expected.Count(), left.Count);
        foreach (var e in expected)
        {
            int best = Enumerable.Range(0, left.Count).MinBy(i => (left[i] - e).Magnitude);
            Assert.True((left[best] - e).Magnitude <= tolerance, $"eigenvalue {e} not found; closest {left[best]}");
            left.RemoveAt(best);
        }
    }

    /// <summary>Q diag(λ) Qᵀ, or Q T Qᵀ for a given upper (quasi-)triangular T.</summary>
    private static double[] Similar(double[]? lambda, double[] q, double[]? upper)
    {
        int n = (int)Math.Round(Math.Sqrt(q.Length));
        var t = upper ?? new double[n * n];
        if (lambda is not null) for (int i = 0; i < n; i++) t[i * n + i] = lambda[i];
        var qt = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i * n + k] * t[k * n + j];
                qt[i * n + j] = s;
            }
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += qt[i * n + k] * q[j * n + k];
                a[i * n + j] = s;
            }
        if (lambda is not null)   // symmetrise away the rounding so the input is exactly symmetric
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / 2;
        return a;
    }

    /// <summary>Orthonormal columns by modified Gram–Schmidt on a Gaussian matrix (twice, for orthogonality to 1e-16).</summary>
    private static double[] RandomOrthogonal(int n, Rng rng)
    {
        var q = Enumerable.Range(0, n * n).Select(_ => rng.NextNormal()).ToArray();
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
                    for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
                }
                double norm = Math.Sqrt(Enumerable.Range(0, n).Sum(i => q[i * n + j] * q[i * n + j]));
                for (int i = 0; i < n; i++) q[i * n + j] /= norm;
            }
        return q;
    }

    private static double[] Identity(int n)
    {
        var a = new double[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = 1;
        return a;
    }
}
