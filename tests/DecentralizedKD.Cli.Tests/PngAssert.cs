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

    /// <summary>Exactly <paramref name="width"/>×<paramref name="height"/> pixels and not blank.</summary>
    public static void NotBlankOfSize(string path, int width, int height)
    {
        NotBlank(path, width, height);
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(path).AsSpan(20)));
    }

    /// <summary>Some pixel is within <paramref name="tolerance"/> per channel of the colour (e.g. a series' line).</summary>
    public static void HasColour(string path, byte r, byte g, byte b, int tolerance = 12)
    {
        using var bitmap = SKBitmap.Decode(path);
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - r) <= tolerance && Math.Abs(c.Green - g) <= tolerance && Math.Abs(c.Blue - b) <= tolerance) return;
            }
        Assert.Fail($"{path} has no pixel near #{r:x2}{g:x2}{b:x2}");
    }
}
