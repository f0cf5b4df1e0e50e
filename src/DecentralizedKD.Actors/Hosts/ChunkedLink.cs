using Akka.Actor;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Sends messages to actors on other hosts. A message whose encoded size exceeds <see cref="ChunkBytes"/> is encoded
/// once and sent as ordered <see cref="WireChunk"/>s (Akka keeps order per sender–receiver pair), so no frame is larger
/// than a chunk and cluster heartbeats interleave with a large transfer instead of queueing behind it. Used by one
/// actor (not thread-safe).
/// </summary>
public sealed class ChunkedLink(ActorSystem system, long chunkBytes)
{
    private long _nextTransfer;

    public long ChunkBytes { get; } = chunkBytes > 0 ? chunkBytes : throw new ArgumentOutOfRangeException(nameof(chunkBytes));

    public void Send(IActorRef target, object message, IActorRef sender)
    {
        if (system.Serialization.FindSerializerFor(message) is not IRawWireCodec raw || !raw.Handles(message)
            || raw.EncodedSize(message) <= ChunkBytes)
        {
            target.Tell(message, sender);
            return;
        }
        byte[] bytes = raw.Encode(message);
        string manifest = raw.ManifestOf(message);
        long transfer = ++_nextTransfer;
        int count = (int)((bytes.Length + ChunkBytes - 1) / ChunkBytes);
        for (int i = 0; i < count; i++)
        {
            int offset = (int)(i * ChunkBytes);
            int length = (int)Math.Min(ChunkBytes, bytes.Length - offset);
            target.Tell(new WireChunk(transfer, i, count, raw.Identifier, manifest, bytes.AsSpan(offset, length).ToArray()), sender);
        }
    }
}

/// <summary>Reassembles <see cref="WireChunk"/>s per (sender, transfer) and decodes the message once complete.</summary>
public sealed class ChunkAssembler(ActorSystem system)
{
    private readonly Dictionary<(IActorRef Sender, long Transfer), List<byte[]>> _partial = [];

    /// <summary>Number of transfers still incomplete (for tests).</summary>
    public int Pending => _partial.Count;

    /// <summary>Adds a chunk; returns the whole message when this was its last chunk, else null.</summary>
    public object? Add(WireChunk chunk, IActorRef sender)
    {
        var key = (sender, chunk.TransferId);
        if (!_partial.TryGetValue(key, out var parts)) _partial[key] = parts = [];
        if (chunk.Index != parts.Count || chunk.Count < 1)
        {
            _partial.Remove(key);
            throw new InvalidOperationException($"chunk {chunk.Index} of transfer {chunk.TransferId} arrived out of order (expected {parts.Count})");
        }
        parts.Add(chunk.Data);
        if (parts.Count < chunk.Count) return null;
        _partial.Remove(key);
        var bytes = new byte[parts.Sum(p => (long)p.Length)];
        int offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(bytes, offset);
            offset += p.Length;
        }
        // The serializer bound to WireChunk is the wire serializer; decoding through it directly keeps the bytes out of
        // the wire counters (they were counted as chunks).
        return system.Serialization.FindSerializerForType(typeof(WireChunk)) is IRawWireCodec raw && raw.Identifier == chunk.SerializerId
            ? raw.Decode(bytes, chunk.Manifest)
            : system.Serialization.Deserialize(bytes, chunk.SerializerId, chunk.Manifest);
    }
}
