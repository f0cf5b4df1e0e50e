using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// Payloads in checkpoint files: messages still in flight in an asynchronous run, and the latest payloads agents hold.
/// Each is its wire tag, round, sender and exchange, then its codec's body with its length — the same codec that
/// carries it between hosts, so a new payload kind is checkpointable as soon as it can cross hosts. Restored payloads
/// equal the sent ones bit for bit (they become separate instances, which is harmless: payloads are immutable).
/// </summary>
public static class PayloadState
{
    public static void Write(BinaryWriter w, Payload payload)
    {
        var codecs = PayloadCodecRegistry.Default;
        w.Write(codecs.CodecOf(payload).Tag);
        w.Write(payload.Round);
        w.Write(payload.Sender);
        w.Write(payload.Phase);
        byte[] body = codecs.Body(payload);
        w.Write(body.Length);
        w.Write(body);
    }

    public static Payload Read(BinaryReader r)
    {
        string tag = r.ReadString();
        int round = r.ReadInt32(), sender = r.ReadInt32(), phase = r.ReadInt32();
        int length = r.ReadInt32();
        long left = r.BaseStream.CanSeek ? r.BaseStream.Length - r.BaseStream.Position : long.MaxValue;
        if (length < 0 || length > left) throw new InvalidDataException($"payload '{tag}': body of {length} bytes, {left} left in the file");
        byte[] body = r.ReadBytes(length);
        if (body.Length != length) throw new InvalidDataException($"payload '{tag}': truncated body");
        try
        {
            var reader = new WireReader(body);
            var payload = PayloadCodecRegistry.Default.CodecOf(tag).ReadBody(ref reader, round, sender);
            reader.End();
            return payload with { Phase = phase };
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or ArgumentException)
        {
            throw new InvalidDataException($"payload '{tag}': {e.Message}");
        }
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
}
