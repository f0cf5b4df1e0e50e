using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// The binary serializer of every message that crosses hosts (bound in hocon/cluster.conf; never JSON). Each message
/// type has a short manifest and a layout declared once (<see cref="WireMessages"/>); payloads inside messages go through
/// the <see cref="PayloadCodecRegistry"/> registry (raw little-endian float32). Bytes handed to or taken from the transport
/// are counted in <see cref="WireStats"/>.
/// </summary>
public sealed class WireSerializer : SerializerWithStringManifest, IRawWireCodec
{
    public const int Id = 7301;

    private readonly WireMessages _messages;
    private readonly WireStats _stats;

    public WireSerializer(ExtendedActorSystem system) : base(system)
    {
        _messages = new WireMessages(path => system.Provider.ResolveActorRef(path), PayloadCodecRegistry.Default);
        _stats = WireStats.For(system);
    }

    public override int Identifier => Id;

    public override string Manifest(object o) => _messages.For(o.GetType()).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var bytes = Encode(obj);
        _stats.AddSent(Manifest(obj), bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        _stats.AddReceived(manifest, bytes.Length);
        return Decode(bytes, manifest);
    }

    public bool Handles(object message) => _messages.TryFor(message.GetType()) is not null;

    public string ManifestOf(object message) => Manifest(message);

    public long EncodedSize(object message)
    {
        var codec = _messages.For(message.GetType());
        var w = WireWriter.Measure();
        codec.Write(ref w, message);
        return w.Position;
    }

    public byte[] Encode(object message)
    {
        var codec = _messages.For(message.GetType());
        var measure = WireWriter.Measure();
        codec.Write(ref measure, message);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        codec.Write(ref w, message);
        return bytes;
    }

    /// <summary>
    /// Decodes one frame. A frame that does not decode — truncated, a count larger than the bytes left, an unknown
    /// manifest, values a message's constructor refuses — is always a <see cref="SerializationException"/>: the one
    /// exception the transport treats as "drop this frame", whatever part of it was wrong. Counts are checked against
    /// the bytes left before anything is allocated (<see cref="WireReader"/>), so a frame never costs more memory than
    /// a small multiple of its own size.
    /// </summary>
    public object Decode(byte[] bytes, string manifest)
    {
        var codec = _messages.ForManifest(manifest);
        try
        {
            var r = new WireReader(bytes);
            var message = codec.Read(ref r);
            r.End();
            return message;
        }
        catch (Exception e) when (e is not SerializationException and not OutOfMemoryException)
        {
            throw new SerializationException($"wire message '{manifest}' rejected: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Types this serializer handles (for binding checks in tests).</summary>
    public static IReadOnlyList<Type> MessageTypes => WireMessages.Types;
}
