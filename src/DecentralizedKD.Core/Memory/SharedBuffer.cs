namespace DecentralizedKD.Core.Memory;

/// <summary>
/// A pooled float buffer with a count of its holders (the sender's own snapshot, each receiver that keeps the payload,
/// each message carrying it that has not been handled yet). Each holder calls <see cref="Release"/> once; the last
/// one returns the buffer to its pool, after which nobody may read it. A holder that keeps it must
/// <see cref="Retain"/> before the holder it got it from releases.
/// </summary>
public sealed class SharedBuffer
{
    private readonly FloatBufferPool _pool;
    private int _holders = 1;

    internal SharedBuffer(float[] array, FloatBufferPool pool)
    {
        Array = array;
        _pool = pool;
    }

    public float[] Array { get; }

    /// <summary>How many holders it has now (0: back in the pool).</summary>
    public int Holders => Volatile.Read(ref _holders);

    public void Retain()
    {
        // Retaining a returned buffer would read another renter's data: a bookkeeping error, never tolerated silently.
        if (Interlocked.Increment(ref _holders) <= 1)
            throw new InvalidOperationException("a pooled buffer was retained after it went back to its pool");
    }

    /// <summary>
    /// The last holder keeps the array for good (e.g. a run's final per-agent parameters, read after the run): it leaves
    /// the pool, which counts it as returned but never hands it out again.
    /// </summary>
    public float[] Keep()
    {
        if (Interlocked.Decrement(ref _holders) != 0)
            throw new InvalidOperationException("only the last holder of a pooled buffer may keep it");
        _pool.Forget();
        return Array;
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref _holders);
        if (left == 0) _pool.Return(Array);
        else if (left < 0) throw new InvalidOperationException("a pooled buffer was released more often than it was held");
    }
}
