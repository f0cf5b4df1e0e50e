using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>FedDKD's client gradient ∇D_k(w), raw float32.</summary>
public sealed class GradientPayloadCodec : PayloadCodec<GradientPayload>
{
    /// <summary>Codecs hold no state: one instance serves every registry.</summary>
    public static GradientPayloadCodec Instance { get; } = new();

    public override string Tag => "gradients";

    protected override void Write(ref WireWriter w, GradientPayload p) => w.Floats(p.Gradient);

    protected override GradientPayload Read(ref WireReader r, int round, int sender) => new(round, sender, r.Floats());
}
