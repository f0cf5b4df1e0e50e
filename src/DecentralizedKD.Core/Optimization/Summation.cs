namespace DecentralizedKD.Core.Optimization;

/// <summary>
/// Left-to-right summation. LINQ's Sum may vectorise (a different, if deterministic, association order); metrics that
/// two engines must reproduce bit for bit (sync vs async) use this one explicit order.
/// </summary>
public static class Summation
{
    public static double InOrder(ReadOnlySpan<double> values)
    {
        double total = 0;
        foreach (double v in values) total += v;
        return total;
    }
}
