using System.Runtime.Serialization;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>MHD's logits of heads 0..K−1 on the round's public batch, [K·|P|·C] raw float32 with its three dimensions.</summary>
public sealed class LogitsPayloadCodec : PayloadCodec<LogitsPayload>
{
    /// <summary>Codecs hold no state: one instance serves every registry.</summary>
    public static LogitsPayloadCodec Instance { get; } = new();

    public override string Tag => "logits";

    protected override void Write(ref WireWriter w, LogitsPayload p)
    {
        w.Int32(p.Heads);
        w.Int32(p.Samples);
        w.Int32(p.Classes);
        w.Floats(p.Logits);
    }

    protected override LogitsPayload Read(ref WireReader r, int round, int sender)
    {
        int heads = r.Int32(), samples = r.Int32(), classes = r.Int32();
        var logits = r.Floats();
        // The shape must describe the values exactly: a receiver slices heads out of them.
        if (heads < 0 || samples < 0 || classes < 0 || (long)heads * samples * classes != logits.Length)
            throw new SerializationException($"logits payload: {heads} heads × {samples} samples × {classes} classes do not match {logits.Length} values");
        return new LogitsPayload(round, sender, heads, samples, classes, logits);
    }
}
