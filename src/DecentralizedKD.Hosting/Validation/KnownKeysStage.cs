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
            string nearest = context.KnownKeys.MinBy(k => EditDistance.Between(path, k))!;
            throw new InputException($"{source}: unknown key '{path}' (nearest known key: '{nearest}')");
        }
    }
}
