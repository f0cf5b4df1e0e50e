using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// <c>random-k</c>: k = ⌈ratio·d⌉ coordinates drawn uniformly without replacement from the message's own stream
/// (seed, sender, round, exchange). Only the k float32 values travel: the receiver draws the same coordinates from the
/// same stream. Values are not rescaled by d/k (the biased, contractive form CHOCO uses).
/// </summary>
public sealed class RandomK(CompressorSettings settings) : ISparseCompressor
{
    public string Name => "random-k";
    public string Description => "⌈ratio · d⌉ random coordinates drawn from the message's seeded stream, not rescaled (biased, contractive)";
    public byte WireId => 2;

    public int Parameter(int length) => settings.CountOf(length);

    public CompressedShape Shape(int length, int parameter) =>
        parameter >= 0 && parameter <= length ? new(0, parameter, 0)
            : throw new ArgumentException($"random-k keeps 0 to {length} of {length} coordinates, got {parameter}");

    public CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at) => Carry(Choose(v, at), v, at);

    public int[] Choose(ReadOnlySpan<float> scores, MessageAddress at) => Draw(scores.Length, Parameter(scores.Length), at);

    public CompressedVector Carry(int[] coordinates, ReadOnlySpan<float> source, MessageAddress at)
    {
        var values = new float[coordinates.Length];
        for (int n = 0; n < coordinates.Length; n++) values[n] = source[coordinates[n]];
        return new(at.Round, at.Sender, WireId, source.Length, coordinates.Length, [], values, []) { Phase = at.Exchange };
    }

    public int[] Coordinates(CompressedVector q) => Draw(q.Length, q.Parameter, new MessageAddress(q.Round, q.Sender, q.Phase));

    public void AddDecoded(CompressedVector q, Span<float> target, float scale)
    {
        DecodeCheck.Expect(this, q, target.Length);
        var coordinates = Coordinates(q);
        for (int n = 0; n < coordinates.Length; n++) target[coordinates[n]] += scale * q.Values[n];
    }

    /// <summary>
    /// Selection sampling (Knuth's Algorithm S): coordinate i is taken with probability (still needed)/(still left),
    /// which gives every k-subset the same chance and the coordinates already in ascending order.
    /// </summary>
    private int[] Draw(int length, int k, MessageAddress at)
    {
        var rng = MessageStream.For(settings.Seed, at.Sender, at.Round, at.Exchange, "random-k");
        var chosen = new int[k];
        int n = 0;
        for (int i = 0; i < length && n < k; i++)
            if ((length - i) * rng.NextDouble() < k - n) chosen[n++] = i;
        return chosen;
    }
}
