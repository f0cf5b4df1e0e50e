namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// Soft labels for a subset of the public pool: strictly ascending pool ids and one C-class probability row per id
/// (row k is <c>Values[k·C .. k·C + C)</c>). Immutable once built: it travels inside payloads shared by reference.
/// </summary>
public sealed class SoftLabels
{
    private readonly int[] _poolIds;
    private readonly float[] _values;

    public SoftLabels(int[] poolIds, float[] values, int classes)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), $"{classes} classes, expected > 0");
        if (values.Length != (long)poolIds.Length * classes)
            throw new ArgumentException($"{values.Length} label values do not match {poolIds.Length} samples × {classes} classes");
        for (int k = 1; k < poolIds.Length; k++)
            if (poolIds[k] <= poolIds[k - 1]) throw new ArgumentException("public pool ids must be strictly ascending");
        _poolIds = poolIds;
        _values = values;
        Classes = classes;
    }

    public static SoftLabels Empty(int classes) => new([], [], classes);

    public int Count => _poolIds.Length;
    public int Classes { get; }
    public ReadOnlySpan<int> PoolIds => _poolIds;
    public ReadOnlySpan<float> Values => _values;
    public ReadOnlySpan<float> Row(int k) => _values.AsSpan(k * Classes, Classes);

    /// <summary>Index of the largest probability in row k (the lowest class on ties).</summary>
    public int PredictedClass(int k)
    {
        var row = Row(k);
        int best = 0;
        for (int c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }
}
