using System.Security.Cryptography;
using System.Text;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// Constants of the on-disk format. Bump <see cref="Version"/> whenever any saved state changes layout or meaning:
/// a checkpoint of another version is refused (never half-loaded).
/// </summary>
public static class CheckpointFormat
{
    /// <summary>
    /// 1: synchronous checkpoints. 2: asynchronous checkpoints too (iteration state, messages in flight, clocks).
    /// 3: payloads saved through their wire codecs (tag, length-prefixed body), so any registered payload kind can be saved;
    /// the asynchronous coordinator also saves the sum of active agents over its windows.
    /// </summary>
    public const int Version = 3;
    public const string Name = "dkd-checkpoint";
    public const string DirectoryName = "checkpoint";
    public const string ManifestName = "manifest.json";

    /// <summary>8 bytes at the start of every state file.</summary>
    public static ReadOnlySpan<byte> Magic => "DKDCKPT\0"u8;

    /// <summary>Hex SHA-256 of the resolved config text (config.conf): a checkpoint only resumes the run it belongs to.</summary>
    public static string ConfigHash(string resolvedConfig) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedConfig)));
}
