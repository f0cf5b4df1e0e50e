using System.Collections.Frozen;
using System.Runtime.Serialization;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// The codecs of every payload kind, by payload type and by wire tag. A payload is written as: tag, Round, Sender,
/// Phase, then the codec's body — on the wire between hosts and, length-prefixed, in checkpoint files. A payload type
/// without a codec cannot leave its process: sending or saving one fails loudly (never a reflection-based fallback).
/// Methods bring their codecs (<see cref="AlgorithmDescriptor.PayloadCodecs"/>): registering a method registers them.
/// </summary>
public sealed class PayloadCodecRegistry
{
    private readonly Lock _gate = new();
    private FrozenDictionary<Type, IPayloadCodec> _byType = FrozenDictionary<Type, IPayloadCodec>.Empty;
    private FrozenDictionary<string, IPayloadCodec> _byTag = FrozenDictionary<string, IPayloadCodec>.Empty;

    /// <summary>The process's codecs: those of the built-in methods, plus those of every method registered later.</summary>
    public static PayloadCodecRegistry Default { get; } = new PayloadCodecRegistry().AddAll(AlgorithmRegistry.BuiltIn.SelectMany(d => d.PayloadCodecs));

    public IEnumerable<IPayloadCodec> All => _byType.Values;

    /// <summary>
    /// Adds codecs; one already present for the same payload type and tag is skipped (methods share kinds such as
    /// parameters). A second codec for a taken type or tag is an error: two layouts under one name would corrupt runs.
    /// </summary>
    public PayloadCodecRegistry AddAll(IEnumerable<IPayloadCodec> codecs)
    {
        lock (_gate)
        {
            var byType = _byType.ToDictionary();
            var byTag = _byTag.ToDictionary(StringComparer.Ordinal);
            foreach (var codec in codecs)
            {
                if (byType.TryGetValue(codec.PayloadType, out var held))
                {
                    if (held.GetType() == codec.GetType()) continue;
                    throw new ArgumentException($"payload type {codec.PayloadType.Name} already has codec {held.GetType().Name}");
                }
                if (byTag.TryGetValue(codec.Tag, out var tagged))
                    throw new ArgumentException($"payload tag '{codec.Tag}' is already used by {tagged.GetType().Name}");
                byType[codec.PayloadType] = codec;
                byTag[codec.Tag] = codec;
            }
            // Readers never lock: they see either the old or the new pair of frozen tables.
            _byType = byType.ToFrozenDictionary();
            _byTag = byTag.ToFrozenDictionary(StringComparer.Ordinal);
        }
        return this;
    }

    public IPayloadCodec CodecOf(Payload payload) =>
        _byType.TryGetValue(payload.GetType(), out var codec) ? codec
            : throw new SerializationException($"no wire codec for payload type {payload.GetType().Name} (list it in its method's descriptor, PayloadCodecs)");

    public IPayloadCodec CodecOf(string tag) =>
        _byTag.TryGetValue(tag, out var codec) ? codec : throw new SerializationException($"unknown payload tag '{tag}'");

    public void Write(ref WireWriter w, Payload payload)
    {
        var codec = CodecOf(payload);
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

    /// <summary>The payload's body alone, as its codec writes it (checkpoint files frame it themselves).</summary>
    public byte[] Body(Payload payload)
    {
        var codec = CodecOf(payload);
        var measure = WireWriter.Measure();
        codec.WriteBody(ref measure, payload);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        codec.WriteBody(ref w, payload);
        return bytes;
    }
}
