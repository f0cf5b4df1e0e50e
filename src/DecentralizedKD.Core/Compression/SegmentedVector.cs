using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// A message compressed one parameter tensor at a time (CHOCO with <c>scope = tensor</c>): one <see cref="CompressedVector"/>
/// per tensor, in the flat buffer's order, each with its own compressor parameter, norm or scale. Its kind is that of a
/// whole-vector message (<see cref="CompressedVector.KindName"/>), so byte accounting counts both as compressed gossip.
/// <see cref="Bytes"/> is exactly what <see cref="SegmentedVectorCodec"/> writes: the segment count, then each segment
/// as <see cref="CompressedVectorCodec"/> writes it.
/// </summary>
public sealed record SegmentedVector(int Round, int Sender, CompressedVector[] Segments) : Payload(Round, Sender)
{
    /// <summary>The segment count (int32): the receiver needs no config to read the rest.</summary>
    public const int HeaderBytes = 4;

    public override string Kind => CompressedVector.KindName;

    public override long Bytes => HeaderBytes + Segments.Sum(s => s.Bytes);
}
