using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;

namespace DecentralizedKD.Core.Wire;

/// <summary>Reads what <see cref="WireWriter"/> wrote; a short or inconsistent buffer is a <see cref="SerializationException"/>.</summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
    }

    public int Position { get; private set; }

    public int Remaining => _buffer.Length - Position;

    private ReadOnlySpan<byte> Next(int bytes)
    {
        if (bytes < 0 || bytes > Remaining)
            throw new SerializationException($"wire message truncated: needs {bytes} more bytes at offset {Position}, has {Remaining}");
        var s = _buffer.Slice(Position, bytes);
        Position += bytes;
        return s;
    }

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Next(4));

    /// <summary>A boolean written by <see cref="WireWriter.Bool"/>: an int32 that must be 0 or 1.</summary>
    public bool Bool() => Int32() switch
    {
        0 => false,
        1 => true,
        var v => throw new SerializationException($"wire message: {v} is not a boolean"),
    };

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Next(8));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Next(8));

    public string? String()
    {
        int n = Int32();
        return n == -1 ? null : Encoding.UTF8.GetString(Next(n));
    }

    public string RequiredString() => String() ?? throw new SerializationException("wire message: unexpected null string");

    private int Count(int elementSize)
    {
        int n = Int32();
        if (n < 0 || (long)n * elementSize > Remaining)
            throw new SerializationException($"wire message: array of {n} elements does not fit in the {Remaining} bytes left");
        return n;
    }

    public float[] Floats()
    {
        int n = Count(4);
        var s = Next(4 * n);
        var v = new float[n];
        if (BitConverter.IsLittleEndian) s.CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
        else for (int i = 0; i < n; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]);
        return v;
    }

    public int[] Ints()
    {
        int n = Count(4);
        var s = Next(4 * n);
        var v = new int[n];
        if (BitConverter.IsLittleEndian) s.CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
        else for (int i = 0; i < n; i++) v[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]);
        return v;
    }

    public byte Byte() => Next(1)[0];

    public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Next(4));

    /// <summary><paramref name="n"/> float32 written by <see cref="WireWriter.FixedFloats"/> (the count comes from a header).</summary>
    public float[] FixedFloats(int n)
    {
        if (n < 0 || (long)n * 4 > Remaining)
            throw new SerializationException($"wire message: {n} floats do not fit in the {Remaining} bytes left");
        var s = Next(4 * n);
        var v = new float[n];
        if (BitConverter.IsLittleEndian) s.CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
        else for (int i = 0; i < n; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]);
        return v;
    }

    /// <summary><paramref name="n"/> int32 written by <see cref="WireWriter.FixedInts"/>.</summary>
    public int[] FixedInts(int n)
    {
        if (n < 0 || (long)n * 4 > Remaining)
            throw new SerializationException($"wire message: {n} integers do not fit in the {Remaining} bytes left");
        var s = Next(4 * n);
        var v = new int[n];
        if (BitConverter.IsLittleEndian) s.CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
        else for (int i = 0; i < n; i++) v[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]);
        return v;
    }

    /// <summary><paramref name="n"/> bytes written by <see cref="WireWriter.FixedBytes"/>.</summary>
    public byte[] FixedBytes(int n) => Next(n).ToArray();

    public byte[] Bytes() => Next(Count(1)).ToArray();

    /// <summary>Count of a following sequence whose elements take at least <paramref name="minElementSize"/> bytes each.</summary>
    public int SequenceCount(int minElementSize) => Count(minElementSize);

    public void End()
    {
        if (Remaining != 0) throw new SerializationException($"wire message: {Remaining} unexpected trailing bytes");
    }
}
