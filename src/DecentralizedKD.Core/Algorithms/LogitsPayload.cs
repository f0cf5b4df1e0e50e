using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// MHD: one agent's head logits on the round's public batch, laid out [head][sample][class] (heads 0..Heads−1, head 0 =
/// main head). The public pool ids are not sent: every agent derives them from (experiment seed, round).
/// </summary>
public sealed record LogitsPayload(int Round, int Sender, int Heads, int Samples, int Classes, float[] Logits) : Payload(Round, Sender)
{
    public const string KindName = "logits";
    public override string Kind => KindName;
    public override long Bytes => 4L * Logits.Length;

    /// <summary>Logits of head <paramref name="head"/> for every sample, [Samples × Classes] row-major.</summary>
    public ReadOnlySpan<float> Head(int head) => Logits.AsSpan(head * Samples * Classes, Samples * Classes);
}
