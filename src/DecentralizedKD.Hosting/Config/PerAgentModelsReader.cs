using System.Globalization;
using Akka.Configuration.Hocon;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// Reads <c>experiment.model.per-agent</c>: a list of <c>{ agents = "0-7", name = lenet5, hidden = [200], heads = 3 }</c>
/// entries whose unset heads and hidden widths come from <c>experiment.model</c>, and checks that every learner is in
/// exactly one entry. Entries are objects inside a list, which the known-keys stage cannot see into, so this reader
/// refuses unknown entry keys itself.
/// </summary>
internal static class PerAgentModelsReader
{
    public const string Example = "[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = mlp, hidden = [200] }]";

    private static readonly string[] EntryKeys = ["agents", "name", "hidden", "heads"];

    public static IReadOnlyList<PerAgentModel> Read(ConfigReader r, ModelConfig common, int agents)
    {
        var objects = r.ObjectList(PerAgentModels.Key, Example);
        var entries = objects.Select((o, k) => Entry(o, k, common, agents)).ToArray();
        PerAgentModels.CheckCoverage(entries, agents);
        return entries;
    }

    private static PerAgentModel Entry(IReadOnlyDictionary<string, HoconValue> o, int index, ModelConfig common, int agents)
    {
        string where = PerAgentModels.EntryName(index);
        foreach (string key in o.Keys)
            if (!EntryKeys.Contains(key))
                throw new InputException($"{where}: unknown key '{key}' (an entry takes {string.Join(", ", EntryKeys)})");
        string agentsText = Scalar(o, "agents", where) ?? throw new InputException($"{where}: missing 'agents' (e.g. agents = \"0-7\")");
        string name = Scalar(o, "name", where) ?? throw new InputException($"{where}: missing 'name' (one of {ModelRegistry.Registry.Choices})");
        var architecture = ModelRegistry.Registry.Find(name)
            ?? throw new InputException($"{where}: name = '{name}': expected one of {ModelRegistry.Registry.Choices}");
        int heads = common.Heads;
        if (Scalar(o, "heads", where) is { } headsText
            && (!int.TryParse(headsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out heads) || heads < 1 || heads > 64))
            throw new InputException($"{where}: heads = '{headsText}': expected an integer in [1, 64]");
        int[] hidden = common.Hidden;
        if (o.TryGetValue("hidden", out var hiddenValue))
        {
            if (!architecture.UsesHidden)
            {
                string shaped = string.Join(" | ", ModelRegistry.Registry.All.Where(m => m.UsesHidden));
                throw new InputException($"{where}: hidden widths shape {shaped} only, not {name} (remove hidden or use name = {shaped})");
            }
            hidden = Hidden(hiddenValue, where);
        }
        var ids = PerAgentModels.ParseAgents(agentsText, agents, index);
        return new PerAgentModel(agentsText, ids, new ModelConfig(architecture, heads, hidden));
    }

    /// <summary>A single value, or null when the key is absent.</summary>
    private static string? Scalar(IReadOnlyDictionary<string, HoconValue> o, string key, string where)
    {
        if (!o.TryGetValue(key, out var v)) return null;
        if (v.IsArray() || v.IsObject()) throw new InputException($"{where}: {key}: expected a single value");
        return v.GetString() ?? "";
    }

    private static int[] Hidden(HoconValue v, string where)
    {
        // Akka's HOCON parser does not report an empty list `[]` as an array.
        if (!v.IsArray() && !v.IsObject() && (v.IsEmpty || string.IsNullOrEmpty(v.GetString()))) return [];
        if (!v.IsArray()) throw new InputException($"{where}: hidden: expected a list of widths like [200]");
        return v.GetArray().Select(e =>
        {
            string s = e.IsArray() || e.IsObject() ? "…" : e.GetString();
            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int width) || width < 1 || width > 1 << 20)
                throw new InputException($"{where}: hidden: element '{s}' is not an integer in [1, {1 << 20}]");
            return width;
        }).ToArray();
    }
}
