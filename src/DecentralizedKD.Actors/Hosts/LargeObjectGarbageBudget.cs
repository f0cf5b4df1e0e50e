namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Bounds the large-object garbage that relaying evaluation reports leaves behind. Each report crossing hosts leaves
/// several parameter-sized arrays (the agent's copy, its encoding, the chunks; on the receiving side the chunks and the
/// reassembled bytes) on the large-object heap, which the collector reclaims only once its generation-2 budget (often
/// gigabytes on a host holding thousands of agents) is spent. Four worker processes and a coordinator relaying 10,000
/// LeNet-5 reports on one 24 GB machine ran it out of memory that way. After every <see cref="Bytes"/> of reports this
/// asks for a full, non-compacting collection: a few per evaluation, each far shorter than the evaluation itself.
/// </summary>
public sealed class LargeObjectGarbageBudget(long bytes)
{
    /// <summary>The budget both ends of the report relay use (worker host and coordinator node): a few per evaluation.</summary>
    public const long ReportRelayBytes = 256L << 20;

    private long _since;

    public long Bytes { get; } = bytes > 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes));

    /// <summary>Full collections asked for so far.</summary>
    public int Collections { get; private set; }

    /// <summary>Counts <paramref name="relayed"/> bytes of relayed payload; collects once the budget is spent.</summary>
    public void Add(long relayed)
    {
        _since += relayed;
        if (_since < Bytes) return;
        _since = 0;
        Collections++;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }
}
