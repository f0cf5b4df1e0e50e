namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// Something an agent sends to a neighbour. Payloads are immutable once created: co-located agents share one
/// instance by reference (zero copy), so a sender must never mutate an array it has put into a payload.
/// </summary>
public abstract record Payload(int Round, int Sender)
{
    /// <summary>Payload kind for per-kind byte accounting (e.g. "parameters", "feature-sums").</summary>
    public abstract string Kind { get; }

    /// <summary>Bytes this payload occupies on the wire (data only, raw float32/int64).</summary>
    public abstract long Bytes { get; }

    /// <summary>Which exchange of the iteration it belongs to (see <see cref="IAgentAlgorithm.Phases"/>).</summary>
    public int Phase { get; init; }
}

/// <summary>A full flat parameter vector x_j (gossip methods; FedAvg/FedDKD models in both directions).</summary>
public sealed record ParameterPayload(int Round, int Sender, float[] Parameters) : Payload(Round, Sender)
{
    public const string KindName = "parameters";
    public override string Kind => KindName;
    public override long Bytes => 4L * Parameters.Length;
}
