using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>x_j as raw little-endian float32.</summary>
public sealed class ParameterPayloadCodec : PayloadCodec<ParameterPayload>
{
    /// <summary>Codecs hold no state: one instance serves every registry.</summary>
    public static ParameterPayloadCodec Instance { get; } = new();

    public override string Tag => "params";

    protected override void Write(ref WireWriter w, ParameterPayload p) => w.Floats(p.Parameters);

    protected override ParameterPayload Read(ref WireReader r, int round, int sender) => new(round, sender, r.Floats());
}
