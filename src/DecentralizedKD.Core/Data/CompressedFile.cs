using System.IO.Compression;

namespace DecentralizedKD.Core.Data;

/// <summary>Reads a whole file, transparently gunzipping it when it starts with the gzip magic 1f 8b.</summary>
internal static class CompressedFile
{
    public static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new InputException($"data file '{path}' not found");
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        try
        {
            using var input = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"data file '{path}': corrupt gzip stream ({e.Message})");
        }
    }
}
