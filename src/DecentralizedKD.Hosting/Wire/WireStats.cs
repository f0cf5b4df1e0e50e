using System.Collections.Concurrent;
using Akka.Actor;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// Per-ActorSystem counters of the bytes the wire serializer produced for the transport (sent) and decoded from it
/// (received), per message manifest. Chunk re-encoding inside <c>ChunkedLink</c> is not counted, so a chunked
/// payload counts once, as its chunks.
/// </summary>
public sealed class WireStats : IExtension
{
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);

    public static WireStats For(ActorSystem system) => system.WithExtension<WireStats, WireStatsProvider>();

    public void AddSent(string manifest, long bytes) => _sent.AddOrUpdate(manifest, bytes, (_, v) => v + bytes);

    public void AddReceived(string manifest, long bytes) => _received.AddOrUpdate(manifest, bytes, (_, v) => v + bytes);

    public IReadOnlyDictionary<string, long> Sent => new SortedDictionary<string, long>(_sent, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Received => new SortedDictionary<string, long>(_received, StringComparer.Ordinal);
}

public sealed class WireStatsProvider : ExtensionIdProvider<WireStats>
{
    public override WireStats CreateExtension(ExtendedActorSystem system) => new();
}
