using System.Buffers.Binary;
using System.IO.Compression;

namespace DecentralizedKD.Core.Tests.Data;

/// <summary>Writes small IDX / gzip files for reader tests.</summary>
internal static class IdxFiles
{
    /// <summary>An IDX file whose payload byte i is (i·7) mod 256.</summary>
    public static byte[] Build(int magic, params int[] dims)
    {
        int payload = dims.Aggregate(1, (a, b) => a * b);
        var b = new byte[4 + 4 * dims.Length + payload];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * d), dims[d]);
        for (int i = 0; i < payload; i++) b[4 + 4 * dims.Length + i] = (byte)(i * 7 % 256);
        return b;
    }

    public static void WriteGzip(string path, byte[] bytes)
    {
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
