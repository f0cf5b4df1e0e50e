using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// One compressed vector per parameter tensor, as the official ChocoSGD code compresses each layer on its own: top-k
/// and random-k keep ⌈ratio·d_t⌉ of tensor t's d_t coordinates, QSGD takes each tensor's own norm and its own
/// contractive factor 1/(1 + ω(d_t)), sign each tensor's own ‖·‖₁/d_t. The tensors are the flat buffer's segments,
/// in its order. Tensor t's draws come from streams derived from (seed, tensor t) and then (sender, round, exchange)
/// as a whole vector's do, so sender and receiver agree and segments never share a stream.
/// </summary>
public sealed class PerTensorCompressor : IMessageCompressor
{
    private readonly ICompressor[] _compressors;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly float[] _scales;

    /// <param name="create">the compressor for a segment, given the seed of that segment's streams</param>
    public PerTensorCompressor(Func<ulong, ICompressor> create, ulong seed, IReadOnlyList<int> tensorLengths)
    {
        _lengths = [.. tensorLengths];
        _offsets = new int[_lengths.Length];
        for (int t = 1; t < _lengths.Length; t++) _offsets[t] = checked(_offsets[t - 1] + _lengths[t - 1]);
        _compressors = Enumerable.Range(0, _lengths.Length).Select(t => create(SegmentSeed(seed, t))).ToArray();
        _scales = Enumerable.Range(0, _lengths.Length).Select(t => (float)_compressors[t].ContractiveScale(_lengths[t])).ToArray();
        Length = _lengths.Sum();
    }

    /// <summary>The flat vector's length, the sum of the tensors'.</summary>
    public int Length { get; }

    public IReadOnlyList<int> TensorLengths => _lengths;

    /// <summary>Seed of tensor <paramref name="tensor"/>'s streams.</summary>
    public static ulong SegmentSeed(ulong seed, int tensor) => Rng.DeriveSeed(seed, tensor, "compressed tensor");

    public Payload Compress(ReadOnlySpan<float> v, MessageAddress at)
    {
        if (v.Length != Length) throw new ArgumentException($"expected {Length} values ({_lengths.Length} tensors), got {v.Length}");
        var segments = new CompressedVector[_lengths.Length];
        for (int t = 0; t < segments.Length; t++) segments[t] = _compressors[t].Compress(v.Slice(_offsets[t], _lengths[t]), at);
        return new SegmentedVector(at.Round, at.Sender, segments) { Phase = at.Exchange };
    }

    public void AddContracted(Payload q, Span<float> target)
    {
        if (q is not SegmentedVector s || s.Segments.Length != _lengths.Length)
            throw new InvalidOperationException($"expected {_lengths.Length} compressed tensors, got {(q is SegmentedVector v ? v.Segments.Length + " tensors" : q.GetType().Name)}");
        if (target.Length != Length) throw new ArgumentException($"expected room for {Length} values, got {target.Length}");
        for (int t = 0; t < _lengths.Length; t++)
        {
            // A decoded segment takes the message's exchange: a receiver draws random-k's coordinates from it.
            var segment = s.Segments[t].Phase == s.Phase ? s.Segments[t] : s.Segments[t] with { Phase = s.Phase };
            _compressors[t].AddDecoded(segment, target.Slice(_offsets[t], _lengths[t]), _scales[t]);
        }
    }

    public long EncodedBytes => SegmentedVector.HeaderBytes + Enumerable.Range(0, _lengths.Length).Sum(t => _compressors[t].EncodedBytes(_lengths[t]));
}
