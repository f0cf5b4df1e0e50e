namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// An event in an agent's virtual-time queue. Events are ordered by (time, sender, sequence number) — never by
/// arrival order in the host process — which is what makes parallel simulation deterministic.
/// </summary>
public readonly record struct SimEvent<T>(double Time, int Sender, long Sequence, T Item) : IComparable<SimEvent<T>>
{
    public int CompareTo(SimEvent<T> other)
    {
        int c = Time.CompareTo(other.Time);
        if (c != 0) return c;
        c = Sender.CompareTo(other.Sender);
        return c != 0 ? c : Sequence.CompareTo(other.Sequence);
    }
}

/// <summary>A min-queue of <see cref="SimEvent{T}"/> with a deterministic total order.</summary>
public sealed class EventQueue<T>
{
    private readonly PriorityQueue<SimEvent<T>, SimEvent<T>> _queue = new();

    public int Count => _queue.Count;

    public void Enqueue(SimEvent<T> e) => _queue.Enqueue(e, e);

    public bool TryPeekTime(out double time)
    {
        bool any = _queue.TryPeek(out var e, out _);
        time = any ? e.Time : double.PositiveInfinity;
        return any;
    }

    /// <summary>Every pending event in dequeue order (keys are unique, so the order is total): what a checkpoint saves.</summary>
    public IReadOnlyList<SimEvent<T>> InOrder() => _queue.UnorderedItems.Select(x => x.Element).Order().ToArray();

    /// <summary>Removes and returns the next event if it is strictly before <paramref name="end"/> (a window bound).</summary>
    public bool TryDequeueBefore(double end, out SimEvent<T> e)
    {
        if (_queue.TryPeek(out e, out _) && e.Time < end)
        {
            _queue.Dequeue();
            return true;
        }
        return false;
    }
}
