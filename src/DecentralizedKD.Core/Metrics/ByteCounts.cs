namespace DecentralizedKD.Core.Metrics;

/// <summary>Per-payload-kind byte counters.</summary>
public static class ByteCounts
{
    /// <summary>Sums several agents' per-kind counters into one.</summary>
    public static Dictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> perAgent)
    {
        var total = new Dictionary<string, long>();
        foreach (var counts in perAgent)
            foreach (var (kind, bytes) in counts) total[kind] = total.GetValueOrDefault(kind) + bytes;
        return total;
    }
}
