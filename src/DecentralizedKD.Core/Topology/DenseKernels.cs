using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// The two inner loops of the eigen solvers, four doubles at a time. Fixed-width <see cref="Vector256{T}"/> rather
/// than <c>Vector&lt;T&gt;</c>, whose width depends on the CPU: the summation order (and so every rounding) is
/// then the same on every machine, and a reported spectral gap is reproducible to the last bit.
/// </summary>
internal static class DenseKernels
{
    /// <summary>Σ x_i y_i over equal-length spans.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        var acc = Vector256<double>.Zero;
        var xv = MemoryMarshal.Cast<double, Vector256<double>>(x);
        var yv = MemoryMarshal.Cast<double, Vector256<double>>(y[..n]);
        for (int k = 0; k < xv.Length; k++) acc += xv[k] * yv[k];
        double sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (int i = xv.Length * Vector256<double>.Count; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += a·x over equal-length spans.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        var av = Vector256.Create(a);
        var xv = MemoryMarshal.Cast<double, Vector256<double>>(x);
        var yv = MemoryMarshal.Cast<double, Vector256<double>>(y[..n]);
        for (int k = 0; k < xv.Length; k++) yv[k] += av * xv[k];
        for (int i = xv.Length * Vector256<double>.Count; i < n; i++) y[i] += a * x[i];
    }
}
