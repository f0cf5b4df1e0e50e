using System.Runtime.InteropServices;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// Binary helpers for <see cref="ICheckpointable"/> implementations. Arrays are length-prefixed and read back into
/// existing buffers of the same length; tags mark each component so that a state written by one component and read
/// by another fails with a clear message instead of loading garbage. Floats are raw IEEE bits (NaN included).
/// </summary>
public static class StateIo
{
    public static void WriteTag(this BinaryWriter w, string tag) => w.Write(tag);

    public static void ExpectTag(this BinaryReader r, string tag)
    {
        string found = r.ReadString();
        if (found != tag) throw new InvalidDataException($"expected state '{tag}', found '{found}'");
    }

    public static void WriteFloats(this BinaryWriter w, ReadOnlySpan<float> values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Reads a float array written by <see cref="WriteFloats"/> into <paramref name="destination"/> (same length).</summary>
    public static void ReadFloats(this BinaryReader r, Span<float> destination, string what)
    {
        ReadLength(r, destination.Length, what);
        ReadExactly(r, MemoryMarshal.AsBytes(destination), what);
    }

    public static void WriteInts(this BinaryWriter w, ReadOnlySpan<int> values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values));
    }

    public static void ReadInts(this BinaryReader r, Span<int> destination, string what)
    {
        ReadLength(r, destination.Length, what);
        ReadExactly(r, MemoryMarshal.AsBytes(destination), what);
    }

    private static void ReadLength(BinaryReader r, int expected, string what)
    {
        int length = r.ReadInt32();
        if (length != expected) throw new InvalidDataException($"{what}: saved length {length}, this run has {expected}");
    }

    private static void ReadExactly(BinaryReader r, Span<byte> destination, string what)
    {
        while (destination.Length > 0)
        {
            int n = r.Read(destination);
            if (n == 0) throw new InvalidDataException($"{what}: state ends early");
            destination = destination[n..];
        }
    }
}
