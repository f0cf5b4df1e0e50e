using System.Text.RegularExpressions;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Hosting.Tests.Documentation;

/// <summary>
/// docs/configuration.md is the reference researchers read; it must list exactly the keys the loader accepts, each
/// with the default the loader uses (defaults.conf plus every registered method's own section).
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    [Fact]
    public void The_reference_lists_every_key_with_its_default_and_nothing_else()
    {
        var loaded = Defaults();
        var documented = Documented();

        var undocumented = loaded.Keys.Except(documented.Keys).Order().ToList();
        var unknown = documented.Keys.Except(loaded.Keys).Order().ToList();
        Assert.True(undocumented.Count == 0, "keys missing from docs/configuration.md: " + string.Join(", ", undocumented));
        Assert.True(unknown.Count == 0, "docs/configuration.md lists keys the loader does not know: " + string.Join(", ", unknown));
        var wrong = loaded.Where(kv => documented[kv.Key] != kv.Value)
            .Select(kv => $"{kv.Key}: documented `{documented[kv.Key]}`, default `{kv.Value}`").ToList();
        Assert.True(wrong.Count == 0, "docs/configuration.md shows other defaults than the loader: " + string.Join("; ", wrong));
    }

    [Fact]
    public void The_comparison_sees_a_changed_default()
    {
        // The check above must be able to fail: a changed default shows up in the resolved text it reads.
        var changed = ExperimentConfigLoader.Load(null, ["optimizer.lr=0.07"]).ResolvedText;
        Assert.Equal("0.07", Parse(changed)["optimizer.lr"]);
        Assert.NotEqual("0.07", Documented()["optimizer.lr"]);
    }

    /// <summary>The resolved defaults as config.conf writes them: one <c>experiment.key = value</c> line per key.</summary>
    private static Dictionary<string, string> Defaults() => Parse(ExperimentConfigLoader.Load(null).ResolvedText);

    private static Dictionary<string, string> Parse(string resolved)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in ResolvedLine().Matches(resolved))
        {
            string value = m.Groups["value"].Value.Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            keys[m.Groups["key"].Value] = value;
        }
        return keys;
    }

    /// <summary>Rows <c>| `key` | `default` | meaning |</c> of docs/configuration.md.</summary>
    private static Dictionary<string, string> Documented()
    {
        string path = Path.Combine(RepositoryRoot.FullName, "docs", "configuration.md");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in ReferenceRow().Matches(File.ReadAllText(path)))
        {
            string value = m.Groups["value"].Value;
            Assert.True(rows.TryAdd(m.Groups["key"].Value, value == "\"\"" ? "" : value), $"key {m.Groups["key"].Value} listed twice");
        }
        return rows;
    }


    [GeneratedRegex(@"^experiment\.(?<key>\S+) = (?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex ResolvedLine();

    [GeneratedRegex(@"^\| `(?<key>[a-z0-9.\-]+)` \| `(?<value>[^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex ReferenceRow();
}
