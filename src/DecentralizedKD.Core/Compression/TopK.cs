namespace DecentralizedKD.Core.Compression;

/// <summary>
/// <c>top-k</c>: the k = ⌈ratio·d⌉ coordinates of largest magnitude, sent as k int32 coordinates (ascending) and their k
/// float32 values. Ties at the k-th magnitude go to the lower coordinates, so the choice never depends on a sort's
/// stability; a NaN counts as the largest magnitude (a diverged coordinate is sent, not silently dropped).
/// </summary>
public sealed class TopK(CompressorSettings settings) : ISparseCompressor
{
    public string Name => "top-k";
    public string Description => "the ⌈ratio · d⌉ largest-magnitude coordinates with their indices";
    public byte WireId => 1;

    public int Parameter(int length) => settings.CountOf(length);

    public CompressedShape Shape(int length, int parameter) =>
        parameter >= 0 && parameter <= length ? new(parameter, parameter, 0)
            : throw new ArgumentException($"top-k keeps 0 to {length} of {length} coordinates, got {parameter}");

    public CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at) => Carry(Choose(v, at), v, at);

    public int[] Choose(ReadOnlySpan<float> scores, MessageAddress at)
    {
        int d = scores.Length, k = Parameter(d);
        if (k == 0) return [];
        var magnitude = new float[d];
        for (int i = 0; i < d; i++) magnitude[i] = Magnitude(scores[i]);
        var sorted = (float[])magnitude.Clone();
        Array.Sort(sorted);
        float threshold = sorted[d - k];   // the k-th largest magnitude
        int above = 0;
        foreach (float m in magnitude) if (m > threshold) above++;
        int tiesToTake = k - above;
        var chosen = new int[k];
        int n = 0;
        for (int i = 0; i < d; i++)
        {
            float m = magnitude[i];
            if (m > threshold || (m == threshold && tiesToTake-- > 0)) chosen[n++] = i;
        }
        return chosen;
    }

    public CompressedVector Carry(int[] coordinates, ReadOnlySpan<float> source, MessageAddress at)
    {
        var values = new float[coordinates.Length];
        for (int n = 0; n < coordinates.Length; n++) values[n] = source[coordinates[n]];
        return new(at.Round, at.Sender, WireId, source.Length, coordinates.Length, coordinates, values, []) { Phase = at.Exchange };
    }

    public int[] Coordinates(CompressedVector q) => q.Indices;

    public void AddDecoded(CompressedVector q, Span<float> target, float scale)
    {
        DecodeCheck.Expect(this, q, target.Length);
        for (int n = 0; n < q.Indices.Length; n++) target[q.Indices[n]] += scale * q.Values[n];
    }

    private static float Magnitude(float x) => float.IsNaN(x) ? float.PositiveInfinity : Math.Abs(x);
}
