using System.Runtime.Serialization;
using DecentralizedKD.Cluster.Wire.Codecs;
using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Cluster.Wire;

/// <summary>
/// Registry of per-payload-type codecs. A payload is written as: tag, Round, Sender, Phase, then the codec's body.
/// A payload type without a codec cannot cross hosts: sending one fails loudly at the sender (never JSON).
/// </summary>
public sealed class PayloadCodecs
{
    private readonly Dictionary<Type, IPayloadCodec> _byType = [];
    private readonly Dictionary<string, IPayloadCodec> _byTag = new(StringComparer.Ordinal);

    /// <summary>The codecs of every payload kind in the engine. Register a new kind here.</summary>
    public static PayloadCodecs Default { get; } = new PayloadCodecs()
        .Register(new ParameterPayloadCodec())
        .Register(new FeatureSumsPayloadCodec())
        .Register(new LogitsPayloadCodec())
        .Register(new GradientPayloadCodec())
        .Register(new SoftLabelPayloadCodec());

    public IEnumerable<IPayloadCodec> All => _byType.Values;

    public PayloadCodecs Register(IPayloadCodec codec)
    {
        if (_byType.ContainsKey(codec.PayloadType)) throw new ArgumentException($"payload type {codec.PayloadType.Name} registered twice");
        if (!_byTag.TryAdd(codec.Tag, codec)) throw new ArgumentException($"payload tag '{codec.Tag}' registered twice");
        _byType[codec.PayloadType] = codec;
        return this;
    }

    public void Write(ref WireWriter w, Payload payload)
    {
        if (!_byType.TryGetValue(payload.GetType(), out var codec))
            throw new SerializationException($"no wire codec for payload type {payload.GetType().Name} (register one in PayloadCodecs.Default)");
        w.String(codec.Tag);
        w.Int32(payload.Round);
        w.Int32(payload.Sender);
        w.Int32(payload.Phase);
        codec.WriteBody(ref w, payload);
    }

    public Payload Read(ref WireReader r)
    {
        string tag = r.RequiredString();
        if (!_byTag.TryGetValue(tag, out var codec)) throw new SerializationException($"unknown payload tag '{tag}' on the wire");
        int round = r.Int32(), sender = r.Int32(), phase = r.Int32();
        var payload = codec.ReadBody(ref r, round, sender);
        return phase == 0 ? payload : payload with { Phase = phase };
    }
}
