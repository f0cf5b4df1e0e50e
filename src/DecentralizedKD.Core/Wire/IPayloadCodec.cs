using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Core.Wire;

/// <summary>
/// The binary form of one payload type's own fields. The common fields (Round, Sender, Phase) are written by
/// <see cref="PayloadCodecRegistry"/>; a codec writes only the body. A payload kind is its record, its codec, and the
/// codec listed in the sending method's descriptor.
/// </summary>
public interface IPayloadCodec
{
    Type PayloadType { get; }

    /// <summary>Short stable name written on the wire (never reuse one for a different layout).</summary>
    string Tag { get; }

    void WriteBody(ref WireWriter w, Payload payload);

    /// <summary>Reads the body and builds the payload with the given common fields (Phase is applied afterwards).</summary>
    Payload ReadBody(ref WireReader r, int round, int sender);
}

/// <summary>Typed base for a codec of payload type <typeparamref name="T"/>.</summary>
public abstract class PayloadCodec<T> : IPayloadCodec where T : Payload
{
    public Type PayloadType => typeof(T);
    public abstract string Tag { get; }

    protected abstract void Write(ref WireWriter w, T payload);
    protected abstract T Read(ref WireReader r, int round, int sender);

    public void WriteBody(ref WireWriter w, Payload payload) => Write(ref w, (T)payload);
    public Payload ReadBody(ref WireReader r, int round, int sender) => Read(ref r, round, sender);
}
