using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// The network between agents: a message of b bytes sent at t over link i→j arrives at
/// t + latency(i→j) + b / bandwidth, or is dropped with probability <see cref="DropProbability"/>.
/// Every directed link draws from its own seeded stream, so adding traffic on one link never shifts another's draws
/// and the outcome does not depend on the order in which agents are simulated.
/// </summary>
public sealed class LinkModel
{
    private readonly ulong _seed;
    private readonly Dictionary<(int, int), Rng> _streams = [];
    private readonly IReadOnlyDictionary<(int From, int To), LatencyDistribution> _overrides;

    public LinkModel(LatencyDistribution latency, double bandwidthBytesPerSecond, double dropProbability, ulong seed,
        IReadOnlyDictionary<(int From, int To), LatencyDistribution>? overrides = null)
    {
        if (!(bandwidthBytesPerSecond > 0)) throw new InputException($"network.bandwidth: expected a positive rate, got {bandwidthBytesPerSecond} B/s");
        if (dropProbability is < 0 or > 1 || double.IsNaN(dropProbability)) throw new InputException($"network.drop = {dropProbability}: expected a probability in [0, 1]");
        Latency = latency;
        BandwidthBytesPerSecond = bandwidthBytesPerSecond;
        DropProbability = dropProbability;
        _seed = seed;
        _overrides = overrides ?? new Dictionary<(int, int), LatencyDistribution>();
    }

    public LatencyDistribution Latency { get; }
    public double BandwidthBytesPerSecond { get; }
    public double DropProbability { get; }

    /// <summary>The lookahead L: no message can arrive sooner than this after it is sent.</summary>
    public double MinimumLatency => Math.Min(Latency.Minimum, _overrides.Values.Select(o => o.Minimum).DefaultIfEmpty(double.MaxValue).Min());

    /// <summary>Arrival time of a message, or null when the link drops it. Consumes draws of link (from → to) only.</summary>
    public double? Deliver(int from, int to, double sendTime, long bytes)
    {
        var rng = Stream(from, to);
        // Always draw both numbers so the drop decision never changes the latency sequence of later messages.
        bool dropped = rng.NextDouble() < DropProbability;
        double latency = (_overrides.TryGetValue((from, to), out var o) ? o : Latency).Sample(rng);
        return dropped ? null : sendTime + latency + bytes / BandwidthBytesPerSecond;
    }

    /// <summary>
    /// The positions of the link streams used so far, in (from, to) order (checkpoints). Streams not yet used are not
    /// saved: they start fresh from their seed either way.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.Write(_streams.Count);
        foreach (var ((from, to), rng) in _streams.OrderBy(kv => kv.Key))
        {
            w.Write(from);
            w.Write(to);
            rng.SaveState(w);
        }
    }

    public void LoadState(BinaryReader r)
    {
        _streams.Clear();
        for (int n = r.ReadCount(8, "link streams"); n > 0; n--)
        {
            int from = r.ReadInt32(), to = r.ReadInt32();
            Stream(from, to).LoadState(r);
        }
    }

    private Rng Stream(int from, int to)
    {
        if (!_streams.TryGetValue((from, to), out var rng))
            _streams[(from, to)] = rng = Rng.Derive(_seed, ((long)from << 32) | (uint)to, "link");
        return rng;
    }
}
