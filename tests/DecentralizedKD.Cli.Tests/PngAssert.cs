using System.Buffers.Binary;
using SkiaSharp;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

internal static class PngAssert
{
    /// <summary>The file is a PNG of the expected size whose pixels are not all one colour.</summary>
    public static void NotBlank(string path, int width, int minHeight)
    {
        Assert.True(File.Exists(path), $"{path} missing");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)) >= minHeight);
        using var bitmap = SKBitmap.Decode(path);
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7) colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 10, $"{path} looks blank ({colours.Count} colours)");
    }
}
