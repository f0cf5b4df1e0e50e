using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// Which cells a sweep's tables compare. A baseline that names a cell pairs every other cell with it; one that names a
/// variant pairs every other variant's cell with the baseline variant's cell at the same grid point, so that no
/// difference mixes grid values (e.g. two Dirichlet alphas). Comparisons pair two variants at every grid point, or
/// two named cells. A name that resolves to nothing is one line naming the sweep file and the entry.
/// </summary>
public static class SweepPairing
{
    /// <summary>The baseline's pairs (cell, its baseline cell), in cell order; empty without a baseline.</summary>
    public static IReadOnlyList<SweepPair> Baseline(SweepDefinition d, IReadOnlyList<SweepCell> cells)
    {
        if (d.Baseline is not { } baseline) return [];
        if (cells.FirstOrDefault(c => c.Name == baseline) is { } cell)
            return cells.Where(c => !ReferenceEquals(c, cell)).Select(c => new SweepPair(c, cell)).ToArray();
        if (d.Variants.Any(v => v.Name == baseline))
            return cells.Where(c => c.Variant != baseline).Select(c => new SweepPair(c, At(cells, baseline, c))).ToArray();
        throw new InputException(d.Variants.Count == 0
            ? $"{d.File}: sweep.baseline = '{baseline}' names no cell (cells: {string.Join(" | ", cells.Select(c => c.Name))})"
            : $"{d.File}: sweep.baseline = '{baseline}' names no cell or variant (variants: {Variants(d)}; cells: {string.Join(" | ", cells.Select(c => c.Name))})");
    }

    /// <summary>Whether a cell is (one of) the baseline: the baseline cell, or every cell of the baseline variant.</summary>
    public static bool IsBaseline(SweepDefinition d, SweepCell cell) =>
        d.Baseline is { } b && (cell.Name == b || (cell.Variant == b && d.Variants.Any(v => v.Name == b)));

    public static IReadOnlyList<SweepComparison> Comparisons(SweepDefinition d, IReadOnlyList<SweepCell> cells) =>
        d.Comparisons.Select(entry => Resolve(d, cells, entry)).ToArray();

    private static SweepComparison Resolve(SweepDefinition d, IReadOnlyList<SweepCell> cells, ComparisonEntry entry)
    {
        string where = $"{d.File}: sweep.comparisons: '{entry.Text}'";
        if (entry.A == entry.B) throw new InputException($"{where}: compares '{entry.A}' with itself");
        bool IsVariant(string name) => d.Variants.Any(v => v.Name == name);
        SweepCell? Cell(string name) => cells.FirstOrDefault(c => c.Name == name);
        foreach (string side in new[] { entry.A, entry.B })
            if (!IsVariant(side) && Cell(side) is null)
                throw new InputException($"{where}: '{side}' names no variant or cell (variants: {Variants(d)}; cells: {string.Join(" | ", cells.Select(c => c.Name))})");
        if (IsVariant(entry.A) && IsVariant(entry.B))
            return new SweepComparison(entry, cells.Where(c => c.Variant == entry.A).Select(a => new SweepPair(a, At(cells, entry.B, a))).ToArray());
        if (Cell(entry.A) is { } cellA && Cell(entry.B) is { } cellB)
            return new SweepComparison(entry, [new SweepPair(cellA, cellB)]);
        throw new InputException($"{where}: compare two variants (at every grid point) or two cells, not a variant with a cell");
    }

    /// <summary>The cell of <paramref name="variant"/> at <paramref name="like"/>'s grid point (every variant crosses the whole grid).</summary>
    private static SweepCell At(IReadOnlyList<SweepCell> cells, string variant, SweepCell like) =>
        cells.First(c => c.Variant == variant && c.GridValues.SequenceEqual(like.GridValues));

    private static string Variants(SweepDefinition d) => d.Variants.Count == 0 ? "none" : string.Join(", ", d.Variants.Select(v => v.Name));
}
