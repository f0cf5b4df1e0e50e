namespace DecentralizedKD.Core.Compression;

/// <summary>
/// What a compressor is built from: the share of coordinates a sparsifier keeps (<c>ratio</c>), QSGD's number of levels
/// s (<c>levels</c>) and the experiment seed its streams derive from. Each compressor reads the keys it uses.
/// </summary>
public sealed record CompressorSettings(double Ratio, int Levels, ulong Seed)
{
    /// <summary>Settings for reading a vector's layout only (the codec never draws).</summary>
    public static CompressorSettings Layout { get; } = new(1, 1, 0);

    /// <summary>
    /// k = ⌈ratio·d⌉ coordinates, at least one of a non-empty vector. The product is taken in decimal so that a ratio such
    /// as 0.3 of 10 coordinates is 3, not the 4 that ⌈0.30000000000000004·10⌉ of binary floating point would give.
    /// </summary>
    public int CountOf(int length) =>
        length == 0 ? 0 : Math.Clamp((int)Math.Ceiling((decimal)Ratio * length), 1, length);
}
