using System.Buffers.Binary;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// IDX files (MNIST, Fashion-MNIST), raw or gzip: big-endian magic 0x00000803 (images, N×H×W unsigned bytes) or
/// 0x00000801 (labels, N unsigned bytes). Every malformed file is an <see cref="InputException"/> naming the file.
/// The format has no trailer, so the length must match the header exactly: a short file is truncated, a long one
/// is not what its header says (e.g. two files concatenated) and is rejected rather than half-read.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        byte[] b = CompressedFile.ReadAll(path);
        int[] dims = Header(b, path, ImagesMagic, 3);
        return (Payload(b, path, 16, dims), dims[0], dims[1], dims[2]);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] b = CompressedFile.ReadAll(path);
        int[] dims = Header(b, path, LabelsMagic, 1);
        return Payload(b, path, 8, dims);
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

    private static byte[] Payload(byte[] b, string path, int headerSize, int[] dims)
    {
        // Int128: three int dimensions can overflow long, and a corrupt header must not wrap into a "valid" size.
        Int128 payload = 1;
        foreach (int d in dims) payload *= d;
        Int128 need = headerSize + payload;
        if (b.Length < need) throw new InputException($"IDX file '{path}' is truncated: header [{string.Join('x', dims)}] needs {need} bytes, found {b.Length}");
        if (b.Length > need) throw new InputException($"IDX file '{path}' has {b.Length} bytes, expected exactly {need} for header [{string.Join('x', dims)}]");
        return b.AsSpan(headerSize).ToArray();
    }
}
