using System.Collections.Concurrent;

namespace DecentralizedKD.Core.Memory;

/// <summary>
/// Float buffers of exact lengths, reused instead of allocated: parameter snapshots are large-object-heap arrays, and
/// one new snapshot per agent per iteration keeps memory climbing until a full collection. A rented buffer comes back
/// as a <see cref="SharedBuffer"/> whose holders release it; the last release returns it here. Buffers are exact-sized
/// (a payload's length is its vector's length) and are not cleared: every renter overwrites the whole buffer.
/// Thread-safe: agents on different compute threads rent and release concurrently.
/// </summary>
public sealed class FloatBufferPool
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> _free = new();
    private long _rented, _returned, _allocated, _peakOutstanding;

    /// <summary>A buffer of exactly <paramref name="length"/> floats with one holder (the renter); its contents are stale.</summary>
    public SharedBuffer Rent(int length)
    {
        if (!_free.GetOrAdd(length, _ => []).TryTake(out var array))
        {
            array = new float[length];
            Interlocked.Increment(ref _allocated);
        }
        long outstanding = Interlocked.Increment(ref _rented) - Interlocked.Read(ref _returned);
        for (long peak = Interlocked.Read(ref _peakOutstanding); outstanding > peak; peak = Interlocked.Read(ref _peakOutstanding))
            if (Interlocked.CompareExchange(ref _peakOutstanding, outstanding, peak) == peak) break;
        return new SharedBuffer(array, this);
    }

    internal void Return(float[] array)
    {
        Interlocked.Increment(ref _returned);
        _free.GetOrAdd(array.Length, _ => []).Add(array);
    }

    /// <summary>A buffer left the pool for good (<see cref="SharedBuffer.Keep"/>): no longer outstanding, never reused.</summary>
    internal void Forget() => Interlocked.Increment(ref _returned);

    public FloatBufferPoolCounters Counters
    {
        get
        {
            long returned = Interlocked.Read(ref _returned);
            return new FloatBufferPoolCounters(Interlocked.Read(ref _rented), returned, Interlocked.Read(ref _allocated), Interlocked.Read(ref _peakOutstanding));
        }
    }
}
