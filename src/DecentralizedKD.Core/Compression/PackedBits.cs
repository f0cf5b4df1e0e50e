namespace DecentralizedKD.Core.Compression;

/// <summary>
/// Writes fields of 1 to 32 bits into a byte buffer, least significant bit first, each field starting where the last
/// ended; the last byte is padded with zero bits. <see cref="PackedBitReader"/> reads them back.
/// </summary>
internal ref struct PackedBitWriter(Span<byte> bytes)
{
    private readonly Span<byte> _bytes = bytes;
    private ulong _pending;
    private int _pendingBits;
    private int _position;

    public void Write(uint value, int bits)
    {
        _pending |= (ulong)value << _pendingBits;
        _pendingBits += bits;
        while (_pendingBits >= 8)
        {
            _bytes[_position++] = (byte)_pending;
            _pending >>= 8;
            _pendingBits -= 8;
        }
    }

    /// <summary>Writes the last partial byte; the buffer must then be full.</summary>
    public void Flush()
    {
        if (_pendingBits > 0) _bytes[_position++] = (byte)_pending;
        _pending = 0;
        _pendingBits = 0;
        if (_position != _bytes.Length) throw new InvalidOperationException($"packed {_position} of {_bytes.Length} bytes");
    }

    /// <summary>Bytes that hold <paramref name="count"/> fields of <paramref name="bits"/> bits.</summary>
    public static int BytesFor(long count, int bits) => checked((int)((count * bits + 7) / 8));
}

/// <summary>Reads what <see cref="PackedBitWriter"/> wrote, field by field.</summary>
internal ref struct PackedBitReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private ulong _pending;
    private int _pendingBits;
    private int _position;

    public uint Read(int bits)
    {
        while (_pendingBits < bits)
        {
            _pending |= (ulong)_bytes[_position++] << _pendingBits;
            _pendingBits += 8;
        }
        uint value = (uint)(_pending & ((1UL << bits) - 1));
        _pending >>= bits;
        _pendingBits -= bits;
        return value;
    }
}
