namespace DecentralizedKD.Core.Data;

/// <summary>
/// Byte → float32 pixel conversion as torchvision and the reference script do it: v = b/255, then (v − mean)/std,
/// every step rounded to float32. Done through a 256-entry table: one lookup per pixel, and the values are
/// bit-identical to the Python pipeline's (a fused b·(1/(255·std)) − mean/std would differ in the last bits).
/// </summary>
internal static class PixelNormalization
{
    public static float[] Table(bool normalize, float mean, float std)
    {
        var table = new float[256];
        for (int b = 0; b < 256; b++)
        {
            float v = b / 255f;
            table[b] = normalize ? (v - mean) / std : v;
        }
        return table;
    }

    public static void Apply(ReadOnlySpan<byte> pixels, Span<float> destination, float[] table)
    {
        for (int i = 0; i < pixels.Length; i++) destination[i] = table[pixels[i]];
    }
}
