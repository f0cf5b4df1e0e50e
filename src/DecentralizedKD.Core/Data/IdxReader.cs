using System.Buffers.Binary;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// IDX files (MNIST, Fashion-MNIST), raw or gzip: big-endian magic 0x00000803 (images, N×H×W unsigned bytes) or
/// 0x00000801 (labels, N unsigned bytes). Every malformed file is an <see cref="InputException"/> naming the file.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        byte[] b = CompressedFile.ReadAll(path);
        int[] dims = Header(b, path, ImagesMagic, 3);
        long need = 16L + (long)dims[0] * dims[1] * dims[2];
        if (b.Length < need) throw new InputException($"IDX file '{path}' is truncated: expected {need} bytes, found {b.Length}");
        return (b.AsSpan(16, (int)(need - 16)).ToArray(), dims[0], dims[1], dims[2]);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] b = CompressedFile.ReadAll(path);
        int[] dims = Header(b, path, LabelsMagic, 1);
        if (b.Length < 8L + dims[0]) throw new InputException($"IDX file '{path}' is truncated: expected {8L + dims[0]} bytes, found {b.Length}");
        return b.AsSpan(8, dims[0]).ToArray();
    }

    private static int[] Header(byte[] b, string path, int magic, int ndim)
    {
        int headerSize = 4 + 4 * ndim;
        if (b.Length < headerSize) throw new InputException($"IDX file '{path}' is truncated: header needs {headerSize} bytes, found {b.Length}");
        int actual = BinaryPrimitives.ReadInt32BigEndian(b);
        if (actual != magic)
            throw new InputException($"IDX file '{path}': bad magic 0x{actual:x8}, expected 0x{magic:x8} ({(magic == ImagesMagic ? "images" : "labels")})");
        var dims = new int[ndim];
        for (int d = 0; d < ndim; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(4 + 4 * d));
            if (dims[d] <= 0) throw new InputException($"IDX file '{path}': dimension {d} is {dims[d]}, expected > 0");
        }
        return dims;
    }
}
