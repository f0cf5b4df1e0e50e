using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>A full flat gradient vector (FedDKD: a client's ∇D_k(w) for the server's distillation step).</summary>
public sealed record GradientPayload(int Round, int Sender, float[] Gradient) : Payload(Round, Sender)
{
    public const string KindName = "gradients";
    public override string Kind => KindName;
    public override long Bytes => 4L * Gradient.Length;
}
