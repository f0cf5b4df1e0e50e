namespace DecentralizedKD.Core.Memory;

/// <summary>
/// What a <see cref="FloatBufferPool"/> has handed out: <see cref="Rented"/> buffers, <see cref="Returned"/> by their
/// last holder, <see cref="Allocated"/> new because none of the length was free, and the most ever out at once.
/// At the end of a run every holder has released, so <see cref="Outstanding"/> is 0; in steady state
/// <see cref="Allocated"/> stops growing.
/// </summary>
public readonly record struct FloatBufferPoolCounters(long Rented, long Returned, long Allocated, long PeakOutstanding)
{
    public long Outstanding => Rented - Returned;
}
