using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Cluster.Wire.Codecs;

/// <summary>CCL's class-wise feature sums [C·D] and counts [C], raw float32.</summary>
public sealed class FeatureSumsPayloadCodec : PayloadCodec<FeatureSumsPayload>
{
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
