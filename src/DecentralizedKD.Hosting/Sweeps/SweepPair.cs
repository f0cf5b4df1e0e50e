namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// Two cells whose runs are compared seed by seed: the differences are A − B. Usually both sit at the same grid point,
/// which is then the pair's value of every grid key.
/// </summary>
public sealed record SweepPair(SweepCell A, SweepCell B)
{
    /// <summary>The value of a grid key both cells share; null where they differ (an explicit cell-to-cell comparison).</summary>
    public string? GridValue(string key)
    {
        string? a = A.GridValues.FirstOrDefault(kv => kv.Key == key).Value, b = B.GridValues.FirstOrDefault(kv => kv.Key == key).Value;
        return a == b ? a : null;
    }
}
