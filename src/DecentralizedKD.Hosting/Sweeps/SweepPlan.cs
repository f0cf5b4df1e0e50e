using System.Text;
using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// One cell of a sweep: a named variant (if any) crossed with one combination of grid values. Its name is readable and
/// stable — <c>variant,key=value,key=value</c> in the sweep file's order — and its folder name is the same with any
/// character a path cannot hold replaced.
/// </summary>
public sealed record SweepCell(string Name, string? Variant, IReadOnlyList<(string Key, string Value)> GridValues, IReadOnlyList<string> Sets)
{
    public string Folder { get; } = string.Concat(Name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '=' or ',' or '+' ? c : '_'));
}

/// <summary>One run: a cell at one seed, its experiment loaded and checked through the config stages.</summary>
public sealed record SweepRun(SweepCell Cell, ulong Seed, LoadedExperiment Loaded)
{
    /// <summary>Relative to the sweep folder: <c>runs/&lt;cell&gt;/seed-&lt;s&gt;</c>.</summary>
    public string Folder => Path.Combine("runs", Cell.Folder, $"seed-{Seed}");
}

/// <summary>The cells and runs of a sweep, every run's experiment resolved and validated before anything runs.</summary>
public sealed class SweepPlan
{
    private SweepPlan(SweepDefinition definition, IReadOnlyList<SweepCell> cells, IReadOnlyList<SweepRun> runs)
    {
        Definition = definition;
        Cells = cells;
        Runs = runs;
        BaselinePairs = SweepPairing.Baseline(definition, cells);
        Comparisons = SweepPairing.Comparisons(definition, cells);
    }

    public SweepDefinition Definition { get; }
    public IReadOnlyList<SweepCell> Cells { get; }
    public IReadOnlyList<SweepRun> Runs { get; }

    /// <summary>Every cell that is not the baseline, with the baseline cell it is compared with (empty without a baseline).</summary>
    public IReadOnlyList<SweepPair> BaselinePairs { get; }

    /// <summary>The explicit comparisons, each resolved to its pairs of cells.</summary>
    public IReadOnlyList<SweepComparison> Comparisons { get; }

    public bool IsBaseline(SweepCell cell) => SweepPairing.IsBaseline(Definition, cell);

    /// <summary>Cells = the variants (if any) crossed with the grid's cartesian product, in file order.</summary>
    public static IReadOnlyList<SweepCell> Expand(SweepDefinition d)
    {
        IEnumerable<IReadOnlyList<(string Key, string Value)>> combos = [[]];
        foreach (var axis in d.Grid)
            combos = combos.SelectMany(c => axis.Values.Select(v => (IReadOnlyList<(string, string)>)[.. c, (axis.Key, v)])).ToArray();
        var variants = d.Variants.Count > 0 ? d.Variants.Select(v => (SweepVariant?)v).ToArray() : [null];
        var cells = new List<SweepCell>();
        foreach (var variant in variants)
        foreach (var combo in combos)
        {
            var parts = new List<string>();
            if (variant is not null) parts.Add(variant.Name);
            parts.AddRange(combo.Select(kv => $"{kv.Key}={kv.Value}"));
            string name = parts.Count > 0 ? string.Join(",", parts) : "base";
            cells.Add(new SweepCell(name, variant?.Name, combo, [.. variant?.Sets ?? [], .. combo.Select(kv => $"{kv.Key}={kv.Value}")]));
        }
        var clash = cells.GroupBy(c => c.Folder).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InputException($"{d.File}: cells '{clash.First().Name}' and '{clash.Skip(1).First().Name}' have the same name or folder; give variants distinct names");
        // The baseline and the comparisons are checked with the cells, before any run's config is loaded.
        SweepPairing.Baseline(d, cells);
        SweepPairing.Comparisons(d, cells);
        return cells;
    }

    /// <summary>
    /// Every run's overrides, in order: the sweep's <c>set</c>, the command line's <c>--set</c>, the variant's <c>set</c>,
    /// the cell's grid values, the seed. One thread per run unless something says otherwise, so that parallel runs share
    /// the cores instead of each taking all of them (threads never change results).
    /// </summary>
    public static IReadOnlyList<string> Overrides(SweepDefinition d, SweepCell cell, ulong seed) =>
        ["threads=1", .. d.Sets, .. d.CommandLineSets, .. cell.Sets, $"seed={seed}", $"name={d.Name}/{cell.Name}/seed-{seed}"];

    /// <summary>Loads every run's experiment; the first bad one is one line naming the sweep file, the cell and the key.</summary>
    /// <param name="only">Build only these cells (by name); null or empty: every cell. An unknown name is an input error.</param>
    public static SweepPlan Build(SweepDefinition d, IReadOnlyCollection<string>? only = null)
    {
        var cells = Expand(d);
        if (only is { Count: > 0 })
        {
            foreach (string name in only.Where(n => cells.All(c => c.Name != n)))
                throw new InputException($"--only '{name}': {d.File} has no such cell (cells: {string.Join(" | ", cells.Select(c => c.Name))})");
            cells = cells.Where(c => only.Contains(c.Name)).ToArray();
        }
        var runs = new List<SweepRun>();
        foreach (var cell in cells)
        foreach (ulong seed in d.Seeds)
        {
            try { runs.Add(new SweepRun(cell, seed, ExperimentConfigLoader.Load(d.BasePath, Overrides(d, cell, seed)))); }
            catch (InputException e) { throw new InputException($"{d.File}: cell '{cell.Name}', seed {seed}: {e.Message}"); }
        }
        return new SweepPlan(d, cells, runs);
    }

    /// <summary>The cells × seeds table of <c>--dry-run</c>.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"sweep {Definition.Name}: {Cells.Count} cell(s) × {Definition.Seeds.Count} seed(s) = {Runs.Count} run(s), base {Definition.BasePath}");
        foreach (var cell in Cells)
            sb.AppendLine($"  {cell.Name}{(IsBaseline(cell) ? "  (baseline)" : "")}: seeds {string.Join(", ", Definition.Seeds)}");
        foreach (var comparison in Comparisons)
            sb.AppendLine($"  comparison {comparison.Entry.Text}: {comparison.Pairs.Count} pair(s) of cells");
        return sb.ToString();
    }
}
