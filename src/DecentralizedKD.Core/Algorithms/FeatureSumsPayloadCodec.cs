using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>CCL's class-wise feature sums [C·D] and counts [C], raw float32.</summary>
public sealed class FeatureSumsPayloadCodec : PayloadCodec<FeatureSumsPayload>
{
    /// <summary>Codecs hold no state: one instance serves every registry.</summary>
    public static FeatureSumsPayloadCodec Instance { get; } = new();

    public override string Tag => "feature-sums";

    protected override void Write(ref WireWriter w, FeatureSumsPayload p)
    {
        w.Floats(p.Sums);
        w.Floats(p.Counts);
    }

    protected override FeatureSumsPayload Read(ref WireReader r, int round, int sender)
    {
        var sums = r.Floats();
        var counts = r.Floats();
        return new FeatureSumsPayload(round, sender, sums, counts);
    }
}
