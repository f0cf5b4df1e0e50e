using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// How a compressing gossip method turns its flat vector into one message and back: the whole vector at once
/// (<see cref="WholeVectorCompressor"/>) or one parameter tensor at a time (<see cref="PerTensorCompressor"/>). The
/// decoded message is added in the contractive form c·Q (<see cref="ICompressor.ContractiveScale"/>), c taken over the
/// length each compressor saw.
/// </summary>
public interface IMessageCompressor
{
    /// <summary>Q(v) for the message <paramref name="at"/>.</summary>
    Payload Compress(ReadOnlySpan<float> v, MessageAddress at);

    /// <summary>target ← target + c·Q, Q decoded from <paramref name="q"/> (sent by any agent with this compressor and layout).</summary>
    void AddContracted(Payload q, Span<float> target);

    /// <summary>The exact size of one message on the wire.</summary>
    long EncodedBytes { get; }
}
