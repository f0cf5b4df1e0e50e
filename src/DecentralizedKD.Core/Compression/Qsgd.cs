using System.Numerics;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// <c>qsgd</c> (Alistarh et al., 2017) with s = <c>levels</c>: each element becomes ‖v‖₂·sign(v_k)·ξ_k/s, where ξ_k is
/// ⌊s|v_k|/‖v‖₂⌋ or one more, the upper level drawn with probability equal to the remainder, so E[Q(v)] = v. The norm
/// travels as one float32, then per element a sign bit (1 = negative) and ξ_k in b = ⌈log2(s+1)⌉ bits, packed least
/// significant bit first. The rounding draws come from the sender's stream for the message; the receiver needs none.
/// Its variance is E‖Q(v) − v‖² ≤ min(d/s², √d/s)·‖v‖² (Lemma 3.1 of the paper).
/// </summary>
public sealed class Qsgd(CompressorSettings settings) : ICompressor
{
    public string Name => "qsgd";
    public string Description => "QSGD (Alistarh et al., 2017): stochastic rounding to s = levels levels of |v_i|/‖v‖, unbiased";
    public byte WireId => 3;

    public int Levels { get; } = settings.Levels;

    public int Parameter(int length) => Levels;

    public CompressedShape Shape(int length, int parameter) =>
        parameter >= 1 ? new(0, 1, PackedBitWriter.BytesFor(length, 1 + LevelBits(parameter)))
            : throw new ArgumentException($"qsgd needs at least 1 level, got {parameter}");

    /// <summary>b = ⌈log2(s+1)⌉, the bits of the largest level s.</summary>
    public static int LevelBits(int levels) => 32 - BitOperations.LeadingZeroCount((uint)levels);

    /// <summary>ω with E‖Q(v) − v‖² ≤ ω‖v‖².</summary>
    public double VarianceBound(int length) => Math.Min((double)length / ((double)Levels * Levels), Math.Sqrt(length) / Levels);

    /// <summary>Q/(1 + ω) is contractive: CHOCO uses QSGD in that rescaled form, as its paper does.</summary>
    public double ContractiveScale(int length) => 1 / (1 + VarianceBound(length));

    public CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at)
    {
        double sumSquares = 0;
        foreach (float x in v) sumSquares += (double)x * x;
        float norm = (float)Math.Sqrt(sumSquares);
        int s = Levels, b = LevelBits(s);
        var bits = new byte[PackedBitWriter.BytesFor(v.Length, 1 + b)];
        var writer = new PackedBitWriter(bits);
        var rng = MessageStream.For(settings.Seed, at.Sender, at.Round, at.Exchange, "qsgd");
        for (int k = 0; k < v.Length; k++)
        {
            // One draw per element whatever its value, so the stream never depends on the data's zeros.
            double u = rng.NextDouble();
            uint level = 0;
            if (norm > 0)
            {
                // Relative to the float32 norm that travels, so the receiver's expectation is exactly |v_k|.
                double r = s * Math.Abs((double)v[k]) / norm;
                double floor = Math.Floor(r);
                level = (uint)Math.Min(s, floor + (u < r - floor ? 1 : 0));
            }
            writer.Write(level != 0 && v[k] < 0 ? 1u : 0u, 1);
            writer.Write(level, b);
        }
        writer.Flush();
        return new(at.Round, at.Sender, WireId, v.Length, s, [], [norm], bits) { Phase = at.Exchange };
    }

    public void AddDecoded(CompressedVector q, Span<float> target, float scale)
    {
        DecodeCheck.Expect(this, q, target.Length);
        int s = q.Parameter, b = LevelBits(s);
        double norm = q.Values[0];
        var reader = new PackedBitReader(q.Bits);
        for (int k = 0; k < target.Length; k++)
        {
            bool negative = reader.Read(1) == 1;
            uint level = reader.Read(b);
            float value = (float)(norm * level / s);
            target[k] += scale * (negative ? -value : value);
        }
    }
}
