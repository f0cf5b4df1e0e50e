using System.Runtime.Serialization;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// Wire form of a <see cref="CompressedVector"/>: scheme (byte), length d (int32), parameter (int32), then the
/// coordinates (int32), values (float32) and packed bits, raw and without counts — the compressor named by the scheme
/// says how many of each a vector of length d with that parameter has (<see cref="ICompressor.Shape"/>). The body is
/// therefore exactly <see cref="CompressedVector.Bytes"/> long.
/// </summary>
public sealed class CompressedVectorCodec : PayloadCodec<CompressedVector>
{
    public static CompressedVectorCodec Instance { get; } = new();

    public override string Tag => "compressed";

    protected override void Write(ref WireWriter w, CompressedVector q)
    {
        var shape = CompressorRegistry.ShapeOf(q.Scheme, q.Length, q.Parameter);
        if (shape != new CompressedShape(q.Indices.Length, q.Values.Length, q.Bits.Length))
            throw new SerializationException($"compressed vector of scheme {q.Scheme}: arrays ({q.Indices.Length}, {q.Values.Length}, {q.Bits.Length}) do not match its layout {shape}");
        w.Byte(q.Scheme);
        w.Int32(q.Length);
        w.Int32(q.Parameter);
        w.FixedInts(q.Indices);
        w.FixedFloats(q.Values);
        w.FixedBytes(q.Bits);
    }

    protected override CompressedVector Read(ref WireReader r, int round, int sender)
    {
        byte scheme = r.Byte();
        int length = r.Int32(), parameter = r.Int32();
        if (length < 0) throw new SerializationException($"compressed vector: negative length {length}");
        CompressedShape shape;
        try { shape = CompressorRegistry.ShapeOf(scheme, length, parameter); }
        catch (ArgumentException e) { throw new SerializationException($"compressed vector: {e.Message}"); }
        var indices = r.FixedInts(shape.Indices);
        foreach (int i in indices)
            if ((uint)i >= (uint)length) throw new SerializationException($"compressed vector: coordinate {i} outside [0, {length})");
        var values = r.FixedFloats(shape.Values);
        var bits = r.FixedBytes(shape.BitBytes);
        return new CompressedVector(round, sender, scheme, length, parameter, indices, values, bits);
    }
}
