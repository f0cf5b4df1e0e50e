using System.Runtime.Serialization;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// IDKD's label list: the class count, the ascending pool ids (int32 on the wire — pool ids fit; the byte accounting
/// keeps the reference code's int64 count) and the K×C soft labels as raw float32.
/// </summary>
public sealed class SoftLabelPayloadCodec : PayloadCodec<SoftLabelPayload>
{
    /// <summary>Codecs hold no state: one instance serves every registry.</summary>
    public static SoftLabelPayloadCodec Instance { get; } = new();

    public override string Tag => "soft-labels";

    protected override void Write(ref WireWriter w, SoftLabelPayload p)
    {
        w.Int32(p.Labels.Classes);
        w.Ints(p.Labels.PoolIds);
        w.Floats(p.Labels.Values);
    }

    protected override SoftLabelPayload Read(ref WireReader r, int round, int sender)
    {
        int classes = r.Int32();
        var ids = r.Ints();
        var values = r.Floats();
        try
        {
            return new SoftLabelPayload(round, sender, new SoftLabels(ids, values, classes));
        }
        catch (ArgumentException e)
        {
            throw new SerializationException($"soft-label payload: {e.Message}", e);
        }
    }
}
