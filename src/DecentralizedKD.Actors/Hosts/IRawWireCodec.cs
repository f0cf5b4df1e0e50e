namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Implemented by the wire serializer so the chunking link can size a message exactly and encode/decode it without
/// counting those bytes as wire traffic (only what the transport itself serializes is counted).
/// </summary>
public interface IRawWireCodec
{
    int Identifier { get; }
    bool Handles(object message);
    long EncodedSize(object message);
    string ManifestOf(object message);
    byte[] Encode(object message);
    object Decode(byte[] bytes, string manifest);
}
