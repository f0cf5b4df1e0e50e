using DecentralizedKD.Core;
using DecentralizedKD.Core.Text;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 2: every key the file and the overrides set exists in the defaults; an unknown one (a typo, a key of a
/// method that is not registered) is an error naming the nearest known key.
/// </summary>
public sealed class KnownKeysStage : IValidationStage
{
    public string Name => "keys";

    public void Run(ValidationContext context)
    {
        context.KnownKeys = HoconTree.LeafPaths(context.Defaults!).ToHashSet(StringComparer.Ordinal);
        foreach (var (layer, source) in context.Layers)
        foreach (string path in HoconTree.LeafPaths(layer))
        {
            if (context.KnownKeys.Contains(path)) continue;
            if (CompressorKeyMisplaced(path, context.KnownKeys) is { } why) throw new InputException($"{source}: unknown key '{path}': {why}");
            string nearest = context.KnownKeys.MinBy(k => EditDistance.Between(path, k))!;
            throw new InputException($"{source}: unknown key '{path}' (nearest known key: '{nearest}')");
        }
    }

    /// <summary>The keys that configure a compressor (see the compressing methods' sections).</summary>
    private static readonly string[] CompressorKeys = ["compressor", "ratio", "levels"];

    /// <summary>
    /// A compressor key under a method that does not compress (or under <c>algorithm</c> itself): the researcher
    /// expects compressed messages and would get full ones, so the message says which methods compress instead of
    /// pointing at the nearest key by spelling.
    /// </summary>
    private static string? CompressorKeyMisplaced(string path, HashSet<string> known)
    {
        const string prefix = "experiment.algorithm.";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var parts = path[prefix.Length..].Split('.');
        if (parts.Length > 2 || !CompressorKeys.Contains(parts[^1])) return null;
        var compressing = known.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith(".compressor", StringComparison.Ordinal))
            .Select(k => k[prefix.Length..^".compressor".Length]).Order(StringComparer.Ordinal).ToArray();
        if (parts.Length == 2 && compressing.Contains(parts[0])) return null;   // a compressing method without this key: the usual message
        string methods = string.Join(", ", compressing.Select(m => $"{prefix}{m}.compressor"));
        return parts.Length == 2
            ? $"algorithm '{parts[0]}' does not compress its messages; the compressing methods take {methods}"
            : $"compressors are set per compressing method: {methods}";
    }
}
