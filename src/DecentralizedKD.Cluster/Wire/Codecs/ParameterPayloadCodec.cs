using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Cluster.Wire.Codecs;

/// <summary>x_j as raw little-endian float32.</summary>
public sealed class ParameterPayloadCodec : PayloadCodec<ParameterPayload>
{
    public override string Tag => "params";

    protected override void Write(ref WireWriter w, ParameterPayload p) => w.Floats(p.Parameters);

    protected override ParameterPayload Read(ref WireReader r, int round, int sender) => new(round, sender, r.Floats());
}
