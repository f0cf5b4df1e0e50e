namespace DecentralizedKD.Core.Compression;

/// <summary>
/// How many explicit int32 coordinates, float32 values and bytes of packed bits a compressed vector of a given length
/// carries. The wire codec reads exactly these counts after the header, so none of them travels as a count.
/// </summary>
public readonly record struct CompressedShape(int Indices, int Values, int BitBytes)
{
    public long Bytes => 4L * Indices + 4L * Values + BitBytes;
}
