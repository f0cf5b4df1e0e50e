using System.Security.Cryptography;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>Whose state a file holds.</summary>
public enum StateOwner : byte
{
    Agent = 1,
    Coordinator = 2,
}

/// <summary>What a state file must say about itself: format version and config hash are checked against the run.</summary>
public sealed record StateFileHeader(string ConfigHash, StateOwner Owner, int Id, int Round);

/// <summary>
/// One state file: magic, format version, config hash, owner, id, completed rounds, body length, body, and a SHA-256
/// of everything before it. Reading checks every field, so a truncated, corrupt, foreign or stale file is an
/// <see cref="InputException"/> naming the file — never a half-restored agent.
/// </summary>
public static class StateFile
{
    private const int HashBytes = 32;

    /// <summary>Writes the file and flushes it to disk (it must be durable before the manifest names it).</summary>
    public static void Write(string path, StateFileHeader header, Action<BinaryWriter> body) => WriteBytes(path, Encode(header, body));

    /// <summary>
    /// The whole file's bytes (header, body, checksum) without writing it: on a cluster an agent encodes its state on
    /// its own host and the coordinator node writes these bytes unchanged, so the file is the one a local run writes.
    /// </summary>
    public static byte[] Encode(StateFileHeader header, Action<BinaryWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(CheckpointFormat.Magic);
            w.Write(CheckpointFormat.Version);
            w.Write(header.ConfigHash);
            w.Write((byte)header.Owner);
            w.Write(header.Id);
            w.Write(header.Round);
            long lengthAt = buffer.Position;
            w.Write(0L);
            long start = buffer.Position;
            body(w);
            w.Flush();
            long length = buffer.Position - start;
            buffer.Position = lengthAt;
            w.Write(length);
            w.Flush();
            buffer.Position = buffer.Length;
        }
        int contentLength = (int)buffer.Length;
        var bytes = new byte[contentLength + HashBytes];
        buffer.GetBuffer().AsSpan(0, contentLength).CopyTo(bytes);
        SHA256.HashData(bytes.AsSpan(0, contentLength), bytes.AsSpan(contentLength));
        return bytes;
    }

    /// <summary>Writes encoded file bytes and flushes them to disk.</summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Checks the whole file against <paramref name="expected"/> and returns a reader positioned at the body.</summary>
    public static BinaryReader Open(string path, StateFileHeader expected)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"checkpoint file '{path}' cannot be read ({e.Message})");
        }
        return Open(bytes, path, expected);
    }

    /// <summary>As <see cref="Open(string, StateFileHeader)"/> for a file's bytes received over the wire; <paramref name="path"/> names it in errors.</summary>
    public static BinaryReader Open(byte[] bytes, string path, StateFileHeader expected)
    {
        string Bad(string why) => $"checkpoint file '{path}' {why}";
        int magic = CheckpointFormat.Magic.Length;
        if (bytes.Length < magic + HashBytes || !bytes.AsSpan(0, magic).SequenceEqual(CheckpointFormat.Magic))
            throw new InputException(Bad("is not a dkd checkpoint file (bad magic or too short)"));
        var content = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new InputException(Bad("is corrupt (checksum mismatch)"));
        var stream = new MemoryStream(bytes, magic, content.Length - magic, writable: false);
        var r = new BinaryReader(stream);
        int version = r.ReadInt32();
        if (version != CheckpointFormat.Version)
            throw new InputException(Bad($"has format version {version}; this build reads version {CheckpointFormat.Version}"));
        var found = new StateFileHeader(r.ReadString(), (StateOwner)r.ReadByte(), r.ReadInt32(), r.ReadInt32());
        if (found.ConfigHash != expected.ConfigHash)
            throw new InputException(Bad("belongs to a different configuration (config hash mismatch)"));
        if (found != expected)
            throw new InputException(Bad($"holds {found.Owner} {found.Id} after round {found.Round}, expected {expected.Owner} {expected.Id} after round {expected.Round}"));
        long length = r.ReadInt64();
        if (length != stream.Length - stream.Position) throw new InputException(Bad("has an inconsistent body length"));
        return r;
    }

    /// <summary>
    /// Reads the body with <paramref name="load"/> and checks that it consumed exactly the saved state; a layout
    /// mismatch (e.g. a different algorithm's state) becomes an <see cref="InputException"/> naming the file.
    /// </summary>
    public static void Read(string path, StateFileHeader expected, Action<BinaryReader> load) => Read(Open(path, expected), path, load);

    /// <summary>As <see cref="Read(string, StateFileHeader, Action{BinaryReader})"/> for a file's bytes received over the wire.</summary>
    public static void Read(byte[] bytes, string path, StateFileHeader expected, Action<BinaryReader> load) => Read(Open(bytes, path, expected), path, load);

    private static void Read(BinaryReader reader, string path, Action<BinaryReader> load)
    {
        using var r = reader;
        try
        {
            load(r);
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("state longer than what was read");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InputException($"checkpoint file '{path}' does not match this run's state: {e.Message}");
        }
    }
}
