namespace DecentralizedKD.Core.Compression;

/// <summary>
/// <c>sign</c>: Q(v) = (‖v‖₁/d)·sign(v), the scale as one float32 and one bit per element (1 = negative; zero counts as
/// positive), packed least significant bit first. Contractive: ‖Q(v) − v‖² = ‖v‖² − ‖v‖₁²/d.
/// </summary>
public sealed class ScaledSign : ICompressor
{
    public string Name => "sign";
    public string Description => "one sign bit per coordinate, scaled by ‖v‖₁/d (Karimireddy et al., 2019)";
    public byte WireId => 4;

    public int Parameter(int length) => 0;

    public CompressedShape Shape(int length, int parameter) =>
        parameter == 0 ? new(0, 1, PackedBitWriter.BytesFor(length, 1)) : throw new ArgumentException($"sign has no parameter, got {parameter}");

    public CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at)
    {
        double sum = 0;
        foreach (float x in v) sum += Math.Abs((double)x);
        float scale = v.Length == 0 ? 0f : (float)(sum / v.Length);
        var bits = new byte[PackedBitWriter.BytesFor(v.Length, 1)];
        var writer = new PackedBitWriter(bits);
        foreach (float x in v) writer.Write(x < 0 ? 1u : 0u, 1);
        writer.Flush();
        return new(at.Round, at.Sender, WireId, v.Length, 0, [], [scale], bits) { Phase = at.Exchange };
    }

    public void AddDecoded(CompressedVector q, Span<float> target, float scale)
    {
        DecodeCheck.Expect(this, q, target.Length);
        float magnitude = scale * q.Values[0];
        var reader = new PackedBitReader(q.Bits);
        for (int k = 0; k < target.Length; k++) target[k] += reader.Read(1) == 1 ? -magnitude : magnitude;
    }
}
