using System.Globalization;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Compression;

/// <summary>
/// The compressor keys a compressing method's section shares — <c>compressor</c>, <c>ratio</c> and, where quantisers
/// are allowed, <c>levels</c> — read and range-checked with one line per bad value.
/// </summary>
public sealed record CompressionKeys(string Compressor, double Ratio, int Levels)
{
    public const int MaxLevels = 1_000_000;

    /// <summary>The compressor these keys name, with streams derived from <paramref name="seed"/>.</summary>
    public ICompressor Create(ulong seed) => CompressorRegistry.Create(Compressor, new CompressorSettings(Ratio, Levels, seed));

    /// <summary>Every compressor allowed; <c>levels</c> is read.</summary>
    public static CompressionKeys ReadAny(ISettingsReader r) =>
        new(r.OneOf("compressor", [.. CompressorRegistry.Names]), ReadRatio(r), r.Int("levels", 1, MaxLevels));

    /// <summary>
    /// Only compressors that keep exact values of some coordinates (partial model sharing); there is no <c>levels</c>
    /// key. A quantiser's name gets its own message: it is a compressor, just not one this method can use.
    /// </summary>
    public static CompressionKeys ReadSparse(ISettingsReader r)
    {
        string name = r.OneOf("compressor", [.. CompressorRegistry.Names]);
        if (!CompressorRegistry.IsSparse(name))
            throw new InputException($"{r.Key("compressor")} = '{name}': partial sharing sends exact values of some coordinates; expected one of " +
                string.Join(" | ", CompressorRegistry.Names.Where(CompressorRegistry.IsSparse)));
        return new(name, ReadRatio(r), 1);
    }

    private static double ReadRatio(ISettingsReader r) => OpenUnitInterval(r, "ratio");

    /// <summary>A number in (0, 1]: zero is refused too (a ratio of 0 would never send anything, a γ of 0 never mix).</summary>
    public static double OpenUnitInterval(ISettingsReader r, string name)
    {
        double v = r.Double(name, double.MinValue, double.MaxValue);
        if (!(v > 0 && v <= 1)) throw new InputException($"{r.Key(name)} = {v.ToString(CultureInfo.InvariantCulture)}: expected a number in (0, 1]");
        return v;
    }
}
