using System.Globalization;
using System.Text;
using Akka.Configuration.Hocon;
using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>A named cell: its own overrides, crossed with the grid.</summary>
public sealed record SweepVariant(string Name, IReadOnlyList<string> Sets);

/// <summary>One grid key and the values it takes.</summary>
public sealed record GridAxis(string Key, IReadOnlyList<string> Values);

/// <summary>
/// A sweep file (<c>hocon/sweeps/*.conf</c>): a base experiment, the seeds, overrides for every run, a grid whose
/// cartesian product (crossed with the optional named variants) gives the cells, an optional baseline (a cell, or a
/// variant compared at every grid point) and optional explicit comparisons for paired differences. Overrides are kept
/// as <c>key=value</c> lines, exactly what <c>--set</c> takes. The baseline and the comparisons only shape the tables:
/// no run depends on them (<see cref="WithoutTables"/>).
/// </summary>
public sealed record SweepDefinition(
    string File,
    string Name,
    string BasePath,
    IReadOnlyList<ulong> Seeds,
    IReadOnlyList<string> Sets,
    IReadOnlyList<GridAxis> Grid,
    IReadOnlyList<SweepVariant> Variants,
    string? Baseline,
    IReadOnlyList<string> CommandLineSets,
    IReadOnlyList<ComparisonEntry> Comparisons)
{
    private static readonly string[] Keys = ["name", "base", "seeds", "set", "grid", "variants", "baseline", "comparisons", "command-line-set"];

    public static SweepDefinition Load(string path, IReadOnlyList<string>? commandLineSets = null)
    {
        if (!System.IO.File.Exists(path)) throw new InputException($"sweep file '{path}' not found");
        var root = SyntaxStage.Parse(System.IO.File.ReadAllText(path), path);
        var sweepValue = root.GetValue("sweep");
        if (sweepValue is null || !sweepValue.IsObject()) throw new InputException($"{path}: expected a 'sweep {{ ... }}' block");
        foreach (var (rootKey, _) in root.AsEnumerable())
            if (rootKey != "sweep") throw new InputException($"{path}: unknown key '{rootKey}' (everything goes inside sweep {{ }})");
        var items = sweepValue.GetObject().Items;
        foreach (string key in items.Keys)
            if (!Keys.Contains(key)) throw new InputException($"{path}: unknown key 'sweep.{key}' (expected one of {string.Join(", ", Keys)})");

        string name = Scalar(path, items, "name") ?? throw new InputException($"{path}: sweep.name: required (it names the results folder)");
        if (name.Length == 0 || name.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new InputException($"{path}: sweep.name = '{name}': expected letters, digits, '-', '_' or '.'");
        string baseText = Scalar(path, items, "base") ?? throw new InputException($"{path}: sweep.base: required (the experiment file every run starts from)");
        string basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, baseText));
        if (!System.IO.File.Exists(basePath)) throw new InputException($"{path}: sweep.base = '{baseText}': file '{basePath}' not found");

        if (!items.TryGetValue("seeds", out var seedsValue) || !seedsValue.IsArray())   // `[]` included (see the grid)
            throw new InputException($"{path}: sweep.seeds: expected a non-empty list of seeds like [0, 1, 2]");
        var seeds = seedsValue.GetArray().Select(v => ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s
            : throw new InputException($"{path}: sweep.seeds: '{v.GetString()}' is not a non-negative integer")).ToArray();
        if (seeds.Length == 0) throw new InputException($"{path}: sweep.seeds: expected a non-empty list of seeds like [0, 1, 2]");
        if (seeds.Distinct().Count() != seeds.Length) throw new InputException($"{path}: sweep.seeds: a seed is listed twice");

        var sets = items.TryGetValue("set", out var setValue) ? Assignments(path, "sweep.set", setValue) : [];
        var grid = new List<GridAxis>();
        if (items.TryGetValue("grid", out var gridValue))
        {
            if (!gridValue.IsObject()) throw new InputException($"{path}: sweep.grid: expected an object like {{ \"algorithm.name\" = [dpsgd, qgm] }}");
            foreach (var (key, value) in Leaves(gridValue, ""))
            {
                // Akka's parser reports an empty list `[]` as an empty value, not as an array.
                if (!value.IsArray() && (value.IsEmpty || string.IsNullOrEmpty(value.GetString())))
                    throw new InputException($"{path}: sweep.grid.{key}: empty list (a grid key needs at least one value)");
                if (!value.IsArray()) throw new InputException($"{path}: sweep.grid.{key}: expected a list of values like [a, b]");
                var values = value.GetArray().Select(Text).ToArray();
                if (values.Length == 0) throw new InputException($"{path}: sweep.grid.{key}: empty list (a grid key needs at least one value)");
                if (values.Distinct().Count() != values.Length) throw new InputException($"{path}: sweep.grid.{key}: a value is listed twice");
                grid.Add(new GridAxis(key, values));
            }
            if (grid.Count == 0) throw new InputException($"{path}: sweep.grid: empty (remove it, or give keys with lists of values)");
        }
        var variants = new List<SweepVariant>();
        if (items.TryGetValue("variants", out var variantsValue))
        {
            if (!variantsValue.IsArray()) throw new InputException($"{path}: sweep.variants: expected a list like [ {{ name = x, set {{ ... }} }} ]");
            foreach (var v in variantsValue.GetArray())
            {
                if (!v.IsObject()) throw new InputException($"{path}: sweep.variants: every element must be an object {{ name = ..., set {{ ... }} }}");
                var fields = v.GetObject().Items;
                foreach (string f in fields.Keys)
                    if (f is not ("name" or "set")) throw new InputException($"{path}: sweep.variants: unknown key '{f}' (expected name, set)");
                string variantName = fields.TryGetValue("name", out var n) && !n.IsObject() && !n.IsArray() ? n.GetString() ?? ""
                    : throw new InputException($"{path}: sweep.variants: every variant needs a name");
                if (variantName.Length == 0) throw new InputException($"{path}: sweep.variants: every variant needs a name");
                if (variantName is "." or "..")
                    throw new InputException($"{path}: sweep.variants: '{variantName}' cannot name a cell (it would be a folder outside runs/)");
                variants.Add(new SweepVariant(variantName, fields.TryGetValue("set", out var vs) ? Assignments(path, $"variant '{variantName}' set", vs) : []));
            }
            if (variants.Count == 0) throw new InputException($"{path}: sweep.variants: empty list (remove it, or give named variants)");
        }
        string? baseline = Scalar(path, items, "baseline");
        var comparisons = new List<ComparisonEntry>();
        if (items.TryGetValue("comparisons", out var comparisonsValue))
        {
            if (!comparisonsValue.IsArray())
                throw new InputException($"{path}: sweep.comparisons: expected a list like [ \"ccl - qgm-ccl\" ] (variants or cells, A - B)");
            foreach (var entry in comparisonsValue.GetArray())
            {
                if (entry.IsObject() || entry.IsArray())
                    throw new InputException($"{path}: sweep.comparisons: every entry must be a string \"A - B\" naming two variants or two cells");
                comparisons.Add(ComparisonEntry.Parse(path, entry.GetString() ?? ""));
            }
        }
        var cli = items.TryGetValue("command-line-set", out var cliValue) && cliValue.IsArray() ? cliValue.GetArray().Select(v => v.GetString()).ToArray() : [];
        return new SweepDefinition(path, name, basePath, seeds, sets, grid, variants, baseline, [.. cli, .. commandLineSets ?? []], comparisons);
    }

    /// <summary>
    /// The same sweep without what only shapes its tables (baseline, comparisons): two sweeps equal in this form run
    /// exactly the same runs, so a sweep folder of one holds finished runs of the other.
    /// </summary>
    public SweepDefinition WithoutTables() => this with { Baseline = null, Comparisons = [] };

    /// <summary>
    /// The resolved sweep (written as <c>sweep.conf</c>, and loaded again by <c>dkd sweep --resume</c>): the base as an
    /// absolute path, the command line's <c>--set</c> included, everything else as given.
    /// </summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# The resolved sweep: what `dkd sweep` ran (dkd sweep --resume reads this file).");
        sb.AppendLine("sweep {");
        sb.AppendLine($"  name = {HoconText.Quote(Name)}");
        sb.AppendLine($"  base = {HoconText.Quote(BasePath)}");
        sb.AppendLine($"  seeds = [{string.Join(", ", Seeds)}]");
        sb.AppendLine($"  set {{ {string.Join(", ", Sets.Select(Assignment))} }}");
        if (Grid.Count > 0)
            sb.AppendLine($"  grid {{ {string.Join(", ", Grid.Select(a => $"{HoconText.Quote(a.Key)} = [{string.Join(", ", a.Values.Select(HoconText.Quote))}]"))} }}");
        if (Variants.Count > 0)
            sb.AppendLine($"  variants = [ {string.Join(", ", Variants.Select(v => $"{{ name = {HoconText.Quote(v.Name)}, set {{ {string.Join(", ", v.Sets.Select(Assignment))} }} }}"))} ]");
        if (Baseline is not null) sb.AppendLine($"  baseline = {HoconText.Quote(Baseline)}");
        if (Comparisons.Count > 0) sb.AppendLine($"  comparisons = [{string.Join(", ", Comparisons.Select(c => HoconText.Quote(c.Text)))}]");
        sb.AppendLine($"  command-line-set = [{string.Join(", ", CommandLineSets.Select(HoconText.Quote))}]");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Assignment(string keyValue)
    {
        int eq = keyValue.IndexOf('=');
        string value = keyValue[(eq + 1)..];
        return $"{HoconText.Quote(keyValue[..eq])} = {(value.StartsWith('[') ? value : HoconText.Quote(value))}";
    }


    private static string? Scalar(string path, IDictionary<string, HoconValue> items, string key)
    {
        if (!items.TryGetValue(key, out var v)) return null;
        if (v.IsObject() || v.IsArray()) throw new InputException($"{path}: sweep.{key}: expected a single value");
        return v.GetString();
    }

    /// <summary><c>set { a.b = 1, c = [2, 3] }</c> as <c>a.b=1</c>, <c>c=[2, 3]</c> (nested objects flattened to dotted keys).</summary>
    private static string[] Assignments(string path, string where, HoconValue value)
    {
        if (!value.IsObject()) throw new InputException($"{path}: {where}: expected an object like {{ rounds = 300 }}");
        return Leaves(value, "").Select(kv => $"{kv.Key}={(kv.Value.IsArray() ? "[" + string.Join(", ", kv.Value.GetArray().Select(Text)) + "]" : Text(kv.Value))}").ToArray();
    }

    private static IEnumerable<(string Key, HoconValue Value)> Leaves(HoconValue value, string prefix)
    {
        foreach (var (key, child) in value.GetObject().Items)
        {
            string path = prefix.Length == 0 ? key : prefix + "." + key;
            if (child.IsObject()) foreach (var leaf in Leaves(child, path)) yield return leaf;
            else yield return (path, child);
        }
    }

    private static string Text(HoconValue v) =>
        v.IsObject() || v.IsArray() ? throw new InputException($"expected a single value, got '{v}'") : v.GetString() ?? "";
}
