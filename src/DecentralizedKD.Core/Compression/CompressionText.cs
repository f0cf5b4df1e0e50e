using System.Globalization;

namespace DecentralizedKD.Core.Compression;

/// <summary>How summaries name a compressor setting and the size of its messages.</summary>
public static class CompressionText
{
    /// <summary>"top-k ratio 0.1", "qsgd 16 levels", "sign".</summary>
    public static string Describe(CompressionKeys keys)
    {
        var c = CompressorRegistry.Create(keys.Compressor, new CompressorSettings(keys.Ratio, keys.Levels, 0));
        return c switch
        {
            ISparseCompressor => $"{keys.Compressor} ratio {keys.Ratio.ToString(CultureInfo.InvariantCulture)}",
            Qsgd q => $"qsgd {q.Levels} levels",
            _ => keys.Compressor,
        };
    }

    /// <summary>One markdown line: the bytes of one message against those of the full float32 parameter vector.</summary>
    public static string MessageLine(ICompressor compressor, int parameterCount) =>
        MessageLine(compressor, parameterCount, compressor.EncodedBytes(parameterCount), null);

    /// <summary>The same for a message of <paramref name="bytes"/>, with <paramref name="layout"/> (e.g. per tensor) after the compressor's name.</summary>
    public static string MessageLine(ICompressor compressor, int parameterCount, long bytes, string? layout)
    {
        long full = 4L * parameterCount;
        var inv = CultureInfo.InvariantCulture;
        string how = layout is null ? compressor.Name : $"{compressor.Name}, {layout}";
        return $"- one message per link and round: {bytes.ToString("N0", inv)} bytes ({how}), " +
               $"{(100.0 * bytes / full).ToString("F2", inv)}% of the {full.ToString("N0", inv)} bytes of the full parameters";
    }
}
