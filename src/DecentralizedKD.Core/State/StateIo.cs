using System.Runtime.InteropServices;

namespace DecentralizedKD.Core.State;

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

    /// <summary>Reads a float array of any saved length (payloads, queued reports), refusing lengths the state cannot hold.</summary>
    public static float[] ReadFloatArray(this BinaryReader r, string what)
    {
        var values = new float[ReadCount(r, 4, what)];
        ReadExactly(r, MemoryMarshal.AsBytes(values.AsSpan()), what);
        return values;
    }

    public static int[] ReadIntArray(this BinaryReader r, string what)
    {
        var values = new int[ReadCount(r, 4, what)];
        ReadExactly(r, MemoryMarshal.AsBytes(values.AsSpan()), what);
        return values;
    }

    /// <summary>A saved element count, checked against the bytes left so a corrupt count cannot allocate gigabytes.</summary>
    public static int ReadCount(this BinaryReader r, int minBytesEach, string what)
    {
        int n = r.ReadInt32();
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * minBytesEach > left) throw new InvalidDataException($"{what}: saved count {n} does not fit the state");
        return n;
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
