using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// CCL's data-variant message: the class-wise sums of the sender's batch features computed
/// under the RECEIVER's parameters, [C·D] row-major by class, and the per-class sample counts [C] — C·D + C floats.
/// </summary>
public sealed record FeatureSumsPayload(int Round, int Sender, float[] Sums, float[] Counts) : Payload(Round, Sender)
{
    public const string KindName = "feature-sums";
    public override string Kind => KindName;
    public override long Bytes => 4L * (Sums.Length + Counts.Length);
}
