namespace DecentralizedKD.Core.Data;

/// <summary>Index-list helpers shared by the partition kinds.</summary>
internal static class SplitMath
{
    public static List<int>[] EmptyLists(int count) => Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();

    /// <summary>Indices grouped by label, each group keeping the input order.</summary>
    public static List<int>[] ByClass(int[] indices, int[] labels, int numClasses)
    {
        var byClass = EmptyLists(numClasses);
        foreach (int i in indices) byClass[labels[i]].Add(i);
        return byClass;
    }

    /// <summary>
    /// numpy's split(idx, (cumsum(p)·len).astype(int)[:-1]): part j ends at int(P_j·len) with P the running sum of p
    /// (clamped to be non-decreasing and within len), the last part at len.
    /// </summary>
    public static void CutPoints(int length, double[] p, Span<int> ends)
    {
        double cumulative = 0;
        int start = 0;
        for (int j = 0; j < ends.Length; j++)
        {
            cumulative += p[j];
            int end = j == ends.Length - 1 ? length : Math.Min(length, (int)(cumulative * length));
            ends[j] = start = Math.Max(end, start);
        }
    }

    /// <summary>Adds the sizes of the parts that <see cref="CutPoints"/> produced to running per-part counts.</summary>
    public static void AddPartSizes(ReadOnlySpan<int> ends, Span<int> counts)
    {
        int start = 0;
        for (int j = 0; j < ends.Length; j++)
        {
            counts[j] += ends[j] - start;
            start = ends[j];
        }
    }

    /// <summary>Appends idx cut at <see cref="CutPoints"/> to the parts.</summary>
    public static void CutByProportions(int[] idx, double[] p, List<int>[] parts)
    {
        Span<int> ends = parts.Length <= 256 ? stackalloc int[parts.Length] : new int[parts.Length];
        CutPoints(idx.Length, p, ends);
        int start = 0;
        for (int j = 0; j < parts.Length; j++)
        {
            parts[j].AddRange(idx.AsSpan(start, ends[j] - start));
            start = ends[j];
        }
    }

    /// <summary>
    /// Contiguous chunks of ⌊N/chunks⌋; the remainder either spread one each over the first chunks, or (for the
    /// grouped split, whose code cuts equal int(N/n) chunks) left over and returned in <paramref name="remainder"/>.
    /// </summary>
    public static int[][] EqualChunks(int[] items, int chunks, bool dropRemainder, out int[] remainder)
    {
        var result = new int[chunks][];
        int size = items.Length / chunks, extra = dropRemainder ? 0 : items.Length % chunks, from = 0;
        for (int c = 0; c < chunks; c++)
        {
            int len = size + (c < extra ? 1 : 0);
            result[c] = items.AsSpan(from, len).ToArray();
            from += len;
        }
        remainder = items[from..];
        return result;
    }
}
