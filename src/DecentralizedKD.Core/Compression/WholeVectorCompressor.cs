using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// One <see cref="CompressedVector"/> of the whole flat vector of length <paramref name="length"/>: k, QSGD's norm and
/// sign's scale are taken over all the parameters at once.
/// </summary>
public sealed class WholeVectorCompressor(ICompressor compressor, int length) : IMessageCompressor
{
    private readonly float _scale = (float)compressor.ContractiveScale(length);

    public ICompressor Compressor => compressor;

    public Payload Compress(ReadOnlySpan<float> v, MessageAddress at) => compressor.Compress(v, at);

    public void AddContracted(Payload q, Span<float> target) =>
        compressor.AddDecoded(q as CompressedVector ?? throw new InvalidOperationException($"expected a whole compressed vector, got {q.GetType().Name}"), target, _scale);

    public long EncodedBytes => compressor.EncodedBytes(length);
}
