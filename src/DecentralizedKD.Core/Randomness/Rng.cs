using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Randomness;

/// <summary>
/// Seeded pseudo-random stream (xoshiro256**, seeded through SplitMix64). We implement it ourselves instead of
/// System.Random so that every draw is specified by this file alone: results must be bit-identical across runs,
/// machines and .NET versions. Streams are derived from (experiment seed, agent id, purpose) with <see cref="Derive"/>
/// so that no two consumers share a stream and adding a consumer never shifts another one's draws.
/// Not thread-safe: each owner keeps its own instance.
/// </summary>
public sealed class Rng : ICheckpointable
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>A stream for (seed, agent/index, purpose); purpose is hashed with FNV-1a (stable, unlike string.GetHashCode).</summary>
    public static Rng Derive(ulong seed, long id, string purpose) => new(DeriveSeed(seed, id, purpose));

    public static ulong DeriveSeed(ulong seed, long id, string purpose)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in purpose) { h ^= c; h *= 1099511628211UL; }
        ulong x = seed ^ 0x9E3779B97F4A7C15UL;
        ulong a = SplitMix(ref x);
        x = a ^ (ulong)id * 0xBF58476D1CE4E5B9UL;
        ulong b = SplitMix(ref x);
        x = b ^ h;
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The four state words and the cached second normal deviate: the whole stream position.</summary>
    public void SaveState(BinaryWriter w)
    {
        w.Write(_s0); w.Write(_s1); w.Write(_s2); w.Write(_s3);
        w.Write(_spareNormal.HasValue);
        w.Write(_spareNormal ?? 0.0);
    }

    public void LoadState(BinaryReader r)
    {
        _s0 = r.ReadUInt64(); _s1 = r.ReadUInt64(); _s2 = r.ReadUInt64(); _s3 = r.ReadUInt64();
        bool hasSpare = r.ReadBoolean();
        double spare = r.ReadDouble();
        _spareNormal = hasSpare ? spare : null;
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        ulong un = (ulong)n;
        while (true)
        {
            ulong r = NextULong();
            UInt128 m = (UInt128)r * un;
            ulong low = (ulong)m;
            if (low >= un || low >= (0UL - un) % un) return (int)(m >> 64);
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniformly random permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p);
        return p;
    }

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double spare) { _spareNormal = null; return spare; }
        double u, v, s;
        do { u = 2 * NextDouble() - 1; v = 2 * NextDouble() - 1; s = u * u + v * v; } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        return u * f;
    }

    /// <summary>Gamma(shape, 1) (Marsaglia–Tsang; shape &lt; 1 boosted by U^(1/shape)).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), "shape must be > 0");
        if (shape < 1)
        {
            double u = NextDouble();
            return NextGamma(shape + 1) * Math.Pow(u == 0 ? double.Epsilon : u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextNormal(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Dirichlet(alpha·1_k). With tiny alpha all gammas can underflow to 0: then one coordinate gets all mass.</summary>
    public double[] NextDirichlet(int k, double alpha)
    {
        var p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) { p[i] = NextGamma(alpha); sum += p[i]; }
        if (sum == 0) { p[NextInt(k)] = 1; return p; }
        for (int i = 0; i < k; i++) p[i] /= sum;
        return p;
    }
}
