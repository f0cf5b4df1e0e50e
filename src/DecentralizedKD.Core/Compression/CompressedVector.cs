using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// A compressed float vector on its way to a neighbour (CHOCO's q_j, sparse-dpsgd's partial view). What the fields hold
/// depends on the compressor (<see cref="Scheme"/> is its wire id): explicit coordinates (top-k), float32 values (the
/// kept values; QSGD's norm; sign's scale), and packed bits (QSGD's signs and levels; sign's signs). <see cref="Parameter"/>
/// is what the layout needs besides the length: k of a sparsifier, s of QSGD, 0 otherwise.
/// <see cref="Bytes"/> is exactly what <see cref="CompressedVectorCodec"/> writes: the header and these arrays, raw.
/// </summary>
public sealed record CompressedVector(int Round, int Sender, byte Scheme, int Length, int Parameter, int[] Indices, float[] Values, byte[] Bits)
    : Payload(Round, Sender)
{
    public const string KindName = "compressed";

    /// <summary>Scheme (1 byte), length d (int32) and parameter (int32): the receiver needs no config to read the rest.</summary>
    public const int HeaderBytes = 9;

    public override string Kind => KindName;

    public override long Bytes => HeaderBytes + 4L * Indices.Length + 4L * Values.Length + Bits.Length;
}
