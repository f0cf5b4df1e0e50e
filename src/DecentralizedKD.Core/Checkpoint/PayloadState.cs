using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// Payloads in checkpoint files: messages still in flight in an asynchronous run, and the latest payloads agents hold.
/// Kind, round, sender and exchange, then the raw float32/int32 arrays — restored payloads equal the sent ones bit for
/// bit (they become separate instances, which is harmless: payloads are immutable).
/// </summary>
public static class PayloadState
{
    public static void Write(BinaryWriter w, Payload payload)
    {
        w.Write(payload.Kind);
        w.Write(payload.Round);
        w.Write(payload.Sender);
        w.Write(payload.Phase);
        switch (payload)
        {
            case ParameterPayload p: w.WriteFloats(p.Parameters); break;
            case FeatureSumsPayload p: w.WriteFloats(p.Sums); w.WriteFloats(p.Counts); break;
            case GradientPayload p: w.WriteFloats(p.Gradient); break;
            case LogitsPayload p: w.Write(p.Heads); w.Write(p.Samples); w.Write(p.Classes); w.WriteFloats(p.Logits); break;
            case SoftLabelPayload p: w.Write(p.Labels.Classes); w.WriteInts(p.Labels.PoolIds); w.WriteFloats(p.Labels.Values); break;
            default: throw new NotSupportedException($"payload kind '{payload.Kind}' cannot be checkpointed");
        }
    }

    public static Payload Read(BinaryReader r)
    {
        string kind = r.ReadString();
        int round = r.ReadInt32(), sender = r.ReadInt32(), phase = r.ReadInt32();
        Payload payload = kind switch
        {
            ParameterPayload.KindName => new ParameterPayload(round, sender, r.ReadFloatArray("parameter payload")),
            FeatureSumsPayload.KindName => new FeatureSumsPayload(round, sender, r.ReadFloatArray("feature sums"), r.ReadFloatArray("feature counts")),
            GradientPayload.KindName => new GradientPayload(round, sender, r.ReadFloatArray("gradient payload")),
            LogitsPayload.KindName => ReadLogits(r, round, sender),
            SoftLabelPayload.KindName => ReadSoftLabels(r, round, sender),
            _ => throw new InvalidDataException($"unknown payload kind '{kind}'"),
        };
        return payload with { Phase = phase };
    }

    /// <summary>An optional payload (a nullable field of an algorithm).</summary>
    public static void WriteOptional(BinaryWriter w, Payload? payload)
    {
        w.Write(payload is not null);
        if (payload is not null) Write(w, payload);
    }

    public static T? ReadOptional<T>(BinaryReader r) where T : Payload =>
        r.ReadBoolean() ? Read(r) as T ?? throw new InvalidDataException($"expected a {typeof(T).Name}") : null;

    /// <summary>The latest payload per sender, in sender order (dictionary order must not decide the file's bytes).</summary>
    public static void WriteBySender<T>(BinaryWriter w, IReadOnlyDictionary<int, T> payloads) where T : Payload
    {
        w.Write(payloads.Count);
        foreach (var (_, p) in payloads.OrderBy(kv => kv.Key)) Write(w, p);
    }

    public static void ReadBySender<T>(BinaryReader r, IDictionary<int, T> into, string what) where T : Payload
    {
        into.Clear();
        for (int n = r.ReadCount(12, what); n > 0; n--)
        {
            var p = Read(r) as T ?? throw new InvalidDataException($"{what}: expected a {typeof(T).Name}");
            into[p.Sender] = p;
        }
    }

    private static LogitsPayload ReadLogits(BinaryReader r, int round, int sender)
    {
        int heads = r.ReadInt32(), samples = r.ReadInt32(), classes = r.ReadInt32();
        var logits = r.ReadFloatArray("logits payload");
        if ((long)heads * samples * classes != logits.Length) throw new InvalidDataException($"logits payload: {logits.Length} values for {heads}×{samples}×{classes}");
        return new LogitsPayload(round, sender, heads, samples, classes, logits);
    }

    private static SoftLabelPayload ReadSoftLabels(BinaryReader r, int round, int sender)
    {
        int classes = r.ReadInt32();
        var ids = r.ReadIntArray("soft-label pool ids");
        var values = r.ReadFloatArray("soft labels");
        try { return new SoftLabelPayload(round, sender, new SoftLabels(ids, values, classes)); }
        catch (ArgumentException e) { throw new InvalidDataException($"soft-label payload: {e.Message}"); }
    }
}
