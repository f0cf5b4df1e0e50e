using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace DecentralizedKD.Core.Wire;

/// <summary>
/// Writes the wire format: little-endian integers and IEEE floats, arrays as an int32 count followed by raw
/// little-endian elements, strings as UTF-8 with an int32 byte count (-1 = null). A writer made by
/// <see cref="Measure"/> only counts bytes, so an encoder runs once to size its buffer exactly and once to fill it
/// (no growing buffers, no extra copy of large float arrays).
/// </summary>
public ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _measuring;

    public WireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _measuring = false;
        Position = 0;
    }

    private WireWriter(bool measuring)
    {
        _buffer = default;
        _measuring = measuring;
        Position = 0;
    }

    public static WireWriter Measure() => new(true);

    public int Position { get; private set; }

    private Span<byte> Next(int bytes)
    {
        var span = _measuring ? default : _buffer.Slice(Position, bytes);
        Position = checked(Position + bytes);
        return span;
    }

    public void Int32(int v)
    {
        var s = Next(4);
        if (!_measuring) BinaryPrimitives.WriteInt32LittleEndian(s, v);
    }

    /// <summary>A boolean as an int32 0 or 1 (the reader refuses anything else).</summary>
    public void Bool(bool v) => Int32(v ? 1 : 0);

    public void Int64(long v)
    {
        var s = Next(8);
        if (!_measuring) BinaryPrimitives.WriteInt64LittleEndian(s, v);
    }

    public void Double(double v)
    {
        var s = Next(8);
        if (!_measuring) BinaryPrimitives.WriteDoubleLittleEndian(s, v);
    }

    public void String(string? v)
    {
        if (v is null) { Int32(-1); return; }
        int n = Encoding.UTF8.GetByteCount(v);
        Int32(n);
        var s = Next(n);
        if (!_measuring) Encoding.UTF8.GetBytes(v, s);
    }

    public void Floats(ReadOnlySpan<float> v)
    {
        Int32(v.Length);
        var s = Next(checked(4 * v.Length));
        if (_measuring) return;
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(v).CopyTo(s);
        else for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(4 * i)..], v[i]);
    }

    public void Ints(ReadOnlySpan<int> v)
    {
        Int32(v.Length);
        var s = Next(checked(4 * v.Length));
        if (_measuring) return;
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(v).CopyTo(s);
        else for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(s[(4 * i)..], v[i]);
    }

    public void Byte(byte v)
    {
        var s = Next(1);
        if (!_measuring) s[0] = v;
    }

    public void Single(float v)
    {
        var s = Next(4);
        if (!_measuring) BinaryPrimitives.WriteSingleLittleEndian(s, v);
    }

    /// <summary>Raw little-endian float32 without a count: for layouts whose reader knows the length from a header.</summary>
    public void FixedFloats(ReadOnlySpan<float> v)
    {
        var s = Next(checked(4 * v.Length));
        if (_measuring) return;
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(v).CopyTo(s);
        else for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(4 * i)..], v[i]);
    }

    /// <summary>Raw little-endian int32 without a count (see <see cref="FixedFloats"/>).</summary>
    public void FixedInts(ReadOnlySpan<int> v)
    {
        var s = Next(checked(4 * v.Length));
        if (_measuring) return;
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(v).CopyTo(s);
        else for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(s[(4 * i)..], v[i]);
    }

    /// <summary>Raw bytes without a count (see <see cref="FixedFloats"/>).</summary>
    public void FixedBytes(ReadOnlySpan<byte> v)
    {
        var s = Next(v.Length);
        if (!_measuring) v.CopyTo(s);
    }

    public void Bytes(ReadOnlySpan<byte> v)
    {
        Int32(v.Length);
        var s = Next(v.Length);
        if (!_measuring) v.CopyTo(s);
    }
}
