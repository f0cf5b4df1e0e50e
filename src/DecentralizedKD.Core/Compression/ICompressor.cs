namespace DecentralizedKD.Core.Compression;

/// <summary>
/// A compression operator Q on float vectors: pure, and seeded per message (its draws come from
/// <see cref="Randomness.MessageStream"/> for the message's (seed, sender, round, exchange)), so sender and receiver
/// agree on everything that does not travel and a checkpoint holds no stream position. A compressor turns a vector
/// into a <see cref="CompressedVector"/> whose exact size it also states, and adds the decoded vector into a buffer at
/// the receiver. A new compressor is a class implementing this plus one line in <see cref="CompressorRegistry"/>.
/// </summary>
public interface ICompressor
{
    /// <summary>The value of the <c>compressor</c> key.</summary>
    string Name { get; }

    /// <summary>One line for <c>dkd list compressors</c>: what it keeps of a vector, with its source.</summary>
    string Description { get; }

    /// <summary>The byte that names this compressor's layout on the wire (never reused for another layout).</summary>
    byte WireId { get; }

    /// <summary>The layout parameter this compressor gives a vector of <paramref name="length"/>: k, s or 0.</summary>
    int Parameter(int length);

    /// <summary>
    /// How many coordinates, values and bytes of bits a vector of <paramref name="length"/> carries with
    /// <paramref name="parameter"/>; <see cref="ArgumentException"/> for a parameter the layout cannot have.
    /// </summary>
    CompressedShape Shape(int length, int parameter);

    /// <summary>The exact size on the wire of a compressed vector of <paramref name="length"/>, header included.</summary>
    long EncodedBytes(int length) => CompressedVector.HeaderBytes + Shape(length, Parameter(length)).Bytes;

    /// <summary>Q(v) for the message <paramref name="at"/>.</summary>
    CompressedVector Compress(ReadOnlySpan<float> v, MessageAddress at);

    /// <summary>target ← target + scale·Q, Q decoded from <paramref name="q"/> (sent by any agent with this compressor).</summary>
    void AddDecoded(CompressedVector q, Span<float> target, float scale);

    /// <summary>
    /// The factor that makes Q contractive, E‖c·Q(v) − v‖² &lt; ‖v‖², which CHOCO's convergence needs: 1 for the
    /// biased compressors, which are contractive as they are; 1/(1 + ω) for an unbiased one with variance factor ω.
    /// </summary>
    double ContractiveScale(int length) => 1;
}
