using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace DecentralizedKD.Hosting.Config;

/// <summary>Flattens a HOCON tree into its leaf paths (arrays and scalars are leaves).</summary>
internal static class HoconTree
{
    public static List<string> LeafPaths(Akka.Configuration.Config config)
    {
        var paths = new List<string>();
        foreach (var kv in config.AsEnumerable()) Walk(kv.Key, kv.Value, paths);
        return paths;
    }

    private static void Walk(string path, HoconValue value, List<string> paths)
    {
        if (value.IsObject())
        {
            var items = value.GetObject().Items;
            if (items.Count == 0) paths.Add(path);
            foreach (var kv in items) Walk(path + "." + kv.Key, kv.Value, paths);
        }
        else paths.Add(path);
    }
}
