using System.Numerics;
using System.Runtime.InteropServices;

namespace DecentralizedKD.Core.Optimization;

/// <summary>
/// Vectorised float32 kernels on flat parameter buffers. All arithmetic is element-wise in a fixed order, so results
/// do not depend on threads or on which agent runs where (bit-identical determinism).
/// </summary>
public static class FlatMath
{
    /// <summary>y += a·x</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(x.Length, y.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int k = 0; k < vy.Length; k++) vy[k] += va * vx[k];
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) y[i] += a * x[i];
    }

    /// <summary>y = a·y + x</summary>
    public static void ScaleAdd(float a, Span<float> y, ReadOnlySpan<float> x)
    {
        Check(x.Length, y.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int k = 0; k < vy.Length; k++) vy[k] = va * vy[k] + vx[k];
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) y[i] = a * y[i] + x[i];
    }

    /// <summary>y = a·x</summary>
    public static void Scale(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(x.Length, y.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int k = 0; k < vy.Length; k++) vy[k] = va * vx[k];
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) y[i] = a * x[i];
    }

    /// <summary>Σ (a_i − b_i)² accumulated in double (consensus distance).</summary>
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(a.Length, b.Length);
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; sum += d * d; }
        return sum;
    }

    private static void Check(int a, int b)
    {
        if (a != b) throw new ArgumentException($"length mismatch: {a} vs {b}");
    }
}
