using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// IDKD's label exchange: the K public-pool indices a node vouches for and their K×C soft
/// labels. On the wire, as in the reference code, indices are int64 and labels float32: 8K + 4KC bytes.
/// </summary>
public sealed record SoftLabelPayload(int Round, int Sender, SoftLabels Labels) : Payload(Round, Sender)
{
    public const string KindName = "soft-labels";
    public override string Kind => KindName;
    public override long Bytes => 8L * Labels.Count + 4L * Labels.Count * Labels.Classes;
}
