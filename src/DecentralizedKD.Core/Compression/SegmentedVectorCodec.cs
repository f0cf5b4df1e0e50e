using System.Runtime.Serialization;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// Wire form of a <see cref="SegmentedVector"/>: the segment count (int32), then each segment's body exactly as
/// <see cref="CompressedVectorCodec"/> writes a whole vector (scheme, length, parameter, arrays). The segments take the
/// message's round and sender; the body is exactly <see cref="SegmentedVector.Bytes"/> long.
/// </summary>
public sealed class SegmentedVectorCodec : PayloadCodec<SegmentedVector>
{
    public static SegmentedVectorCodec Instance { get; } = new();

    public override string Tag => "compressed-segments";

    protected override void Write(ref WireWriter w, SegmentedVector q)
    {
        w.Int32(q.Segments.Length);
        foreach (var segment in q.Segments) CompressedVectorCodec.Instance.WriteBody(ref w, segment);
    }

    protected override SegmentedVector Read(ref WireReader r, int round, int sender)
    {
        // Every segment has at least its header, so a forged count fails here before anything is allocated.
        int count = r.Int32();
        if (count < 0 || (long)count * CompressedVector.HeaderBytes > r.Remaining)
            throw new SerializationException($"compressed segments: {count} segments in {r.Remaining} bytes");
        var segments = new CompressedVector[count];
        for (int t = 0; t < count; t++) segments[t] = (CompressedVector)CompressedVectorCodec.Instance.ReadBody(ref r, round, sender);
        return new SegmentedVector(round, sender, segments);
    }
}
