using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Event;

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

    /// <summary>
    /// <see cref="Add"/> for an actor's receive: a chunk that does not fit (or whose whole does not decode) is logged
    /// and dropped instead of throwing — an exception would restart the receiving actor and lose its run state.
    /// </summary>
    public object? AddOrDrop(WireChunk chunk, IActorRef sender)
    {
        try
        {
            return Add(chunk, sender);
        }
        catch (SerializationException e)
        {
            Logging.GetLogger(system, typeof(ChunkAssembler)).Warning("dropped a chunked message from {0}: {1}", sender.Path.Address, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Adds a chunk; returns the whole message when this was its last chunk, else null. A chunk that does not fit its
    /// transfer (out of order, a count below 1, a whole larger than an array can hold) or names a serializer other than
    /// the wire serializer is a <see cref="SerializationException"/>: chunks only ever carry wire messages, and letting a
    /// peer pick any serializer of the receiving system (e.g. a type-naming JSON one) would widen what a frame can build.
    /// </summary>
    public object? Add(WireChunk chunk, IActorRef sender)
    {
        if (system.Serialization.FindSerializerForType(typeof(WireChunk)) is not IRawWireCodec raw || raw.Identifier != chunk.SerializerId)
            throw new SerializationException($"chunk of transfer {chunk.TransferId} names serializer {chunk.SerializerId}, not the wire serializer");
        var key = (sender, chunk.TransferId);
        if (!_partial.TryGetValue(key, out var parts)) _partial[key] = parts = [];
        long total = parts.Sum(p => (long)p.Length) + chunk.Data.Length;
        if (chunk.Index != parts.Count || chunk.Count < 1 || chunk.Index >= chunk.Count || total > Array.MaxLength)
        {
            _partial.Remove(key);
            throw new SerializationException($"chunk {chunk.Index} of {chunk.Count} of transfer {chunk.TransferId} does not fit the transfer (expected chunk {parts.Count})");
        }
        parts.Add(chunk.Data);
        if (parts.Count < chunk.Count) return null;
        _partial.Remove(key);
        var bytes = new byte[total];
        int offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(bytes, offset);
            offset += p.Length;
        }
        // Decoding through the wire serializer directly keeps the bytes out of the wire counters (they were counted as chunks).
        return raw.Decode(bytes, chunk.Manifest);
    }
}
