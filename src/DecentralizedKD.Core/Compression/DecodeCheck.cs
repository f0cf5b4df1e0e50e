namespace DecentralizedKD.Core.Compression;

/// <summary>A compressed vector decoded by the wrong compressor, or into a buffer of another length, is a protocol error.</summary>
internal static class DecodeCheck
{
    public static void Expect(ICompressor compressor, CompressedVector q, int length)
    {
        if (q.Scheme != compressor.WireId)
            throw new InvalidOperationException($"{compressor.Name} cannot decode a vector of scheme {q.Scheme} from agent {q.Sender}");
        if (q.Length != length)
            throw new InvalidOperationException($"compressed vector of length {q.Length} from agent {q.Sender}, expected {length}");
    }
}
