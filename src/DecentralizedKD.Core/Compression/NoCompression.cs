using DecentralizedKD.Core.Optimization;

namespace DecentralizedKD.Core.Compression;

/// <summary><c>none</c>: Q(v) = v, all d values as float32 (a baseline, and CHOCO's reduction to D-PSGD).</summary>
public sealed class NoCompression : ICompressor
{
    public string Name => "none";
    public string Description => "the exact vector (32-bit floats)";
    public byte WireId => 0;

    public int Parameter(int length) => 0;

    public CompressedShape Shape(int length, int parameter) =>
        parameter == 0 ? new(0, length, 0) : throw new ArgumentException($"none has no parameter, got {parameter}");

    public CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at) =>
        new(at.Round, at.Sender, WireId, v.Length, 0, [], v.ToArray(), []) { Phase = at.Exchange };

    public void AddDecoded(CompressedVector q, Span<float> target, float scale)
    {
        DecodeCheck.Expect(this, q, target.Length);
        FlatMath.Axpy(scale, q.Values, target);
    }
}
