using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// One entry of <c>sweep.comparisons</c> as written: <c>"A - B"</c>, two variants (compared at every grid point) or
/// two cells, with spaces around the minus so that names may contain hyphens (<c>"ccl - qgm-ccl"</c>).
/// </summary>
public sealed record ComparisonEntry(string A, string B)
{
    public const string Separator = " - ";

    public string Text => A + Separator + B;

    public static ComparisonEntry Parse(string file, string text)
    {
        var sides = text.Split(Separator);
        if (sides.Length != 2 || sides.Any(s => s.Trim().Length == 0))
            throw new InputException($"{file}: sweep.comparisons: '{text}': expected \"A - B\" (two variants or two cells, a minus with a space on each side)");
        return new ComparisonEntry(sides[0].Trim(), sides[1].Trim());
    }
}

/// <summary>
/// A comparison resolved against the sweep's cells: for two variants one pair per grid point (in grid order), for two
/// cells one pair.
/// </summary>
public sealed record SweepComparison(ComparisonEntry Entry, IReadOnlyList<SweepPair> Pairs);
