using DecentralizedKD.Core.Memory;

namespace DecentralizedKD.Core.Wire;

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

    /// <summary>
    /// One more holder keeps this payload (a receiver storing it, a message carrying it): with a pooled buffer its
    /// holder count goes up; other payloads are garbage-collected as usual and ignore this.
    /// </summary>
    public virtual void Retain() { }

    /// <summary>A holder is done with this payload: the last release of a pooled buffer returns it to its pool.</summary>
    public virtual void Release() { }

    /// <summary>
    /// This payload with data nobody else will return to a pool: for a send whose serialization happens later on another
    /// thread (after which the sender can no longer tell when its buffer stops being read).
    /// </summary>
    public virtual Payload Detached() => this;
}

/// <summary>A full flat parameter vector x_j (gossip methods; FedAvg/FedDKD models in both directions).</summary>
public sealed record ParameterPayload(int Round, int Sender, float[] Parameters) : Payload(Round, Sender)
{
    public const string KindName = "parameters";
    public override string Kind => KindName;
    public override long Bytes => 4L * Parameters.Length;

    /// <summary>Set when <see cref="Parameters"/> is a pooled buffer (its holder count); null for a plain array.</summary>
    public SharedBuffer? Buffer { get; init; }

    /// <summary>A snapshot of <paramref name="x"/> in a buffer rented from <paramref name="pool"/>, held once (by the caller).</summary>
    public static ParameterPayload Pooled(int round, int sender, ReadOnlySpan<float> x, FloatBufferPool pool)
    {
        var buffer = pool.Rent(x.Length);
        x.CopyTo(buffer.Array);
        return new ParameterPayload(round, sender, buffer.Array) { Buffer = buffer };
    }

    public override void Retain() => Buffer?.Retain();

    public override void Release() => Buffer?.Release();

    public override Payload Detached() => Buffer is null ? this : this with { Parameters = (float[])Parameters.Clone(), Buffer = null };
}
