using System.Globalization;

namespace DecentralizedKD.Core.Config;

/// <summary>
/// The agent lists of <c>experiment.model.per-agent</c>: <c>"a-b"</c>, <c>"a"</c> or a comma-separated list of those
/// (<c>"0-3,8"</c>), and the rule that every learner 0..agents−1 is in exactly one entry. A mistake here would silently
/// give agents another model than meant, so each one is a one-line error naming the key, the entry and what was expected.
/// </summary>
public static class PerAgentModels
{
    public const string Key = "experiment.model.per-agent";

    /// <summary>Where entry <paramref name="index"/> (0-based) sits, for messages: entries are numbered from 1 as people count them.</summary>
    public static string EntryName(int index) => $"{Key}, entry {index + 1}";

    /// <summary>The ids of an entry's <c>agents</c> string, ascending; each in [0, <paramref name="agents"/>) and listed once.</summary>
    public static int[] ParseAgents(string text, int agents, int index)
    {
        string where = $"{EntryName(index)}: agents = \"{text}\"";
        var ids = new List<int>();
        foreach (string rawPart in text.Split(','))
        {
            string part = rawPart.Trim();
            // From the second character: a leading '-' is a sign, and so malformed rather than a range.
            int dash = part.Length > 1 ? part.IndexOf('-', 1) : -1;
            string first = dash > 0 ? part[..dash].Trim() : part;
            string last = dash > 0 ? part[(dash + 1)..].Trim() : part;
            if (!Id(first, out int from) || !Id(last, out int to))
                throw new InputException($"{where}: expected agent ids like \"0-7\", \"3\" or \"0-3,8\"");
            if (from > to) throw new InputException($"{where}: range {from}-{to} runs backwards (expected a-b with a <= b)");
            if (to >= agents)
                throw new InputException($"{where}: agent {to} does not exist (experiment.agents = {agents}: ids 0-{agents - 1})");
            for (int id = from; id <= to; id++) ids.Add(id);
        }
        var sorted = ids.Order().ToArray();
        for (int k = 1; k < sorted.Length; k++)
            if (sorted[k] == sorted[k - 1]) throw new InputException($"{where}: agent {sorted[k]} is listed twice");
        return sorted;
    }

    /// <summary>Every learner in exactly one entry: no agent twice, none left out.</summary>
    public static void CheckCoverage(IReadOnlyList<PerAgentModel> entries, int agents)
    {
        if (entries.Count == 0) return;
        var owner = new int[agents];
        Array.Fill(owner, -1);
        for (int e = 0; e < entries.Count; e++)
            foreach (int id in entries[e].Ids)
            {
                if (owner[id] >= 0)
                    throw new InputException($"{Key}: agent {id} is in entry {owner[id] + 1} (agents = \"{entries[owner[id]].Agents}\") " +
                        $"and entry {e + 1} (agents = \"{entries[e].Agents}\"); expected every agent in exactly one entry");
                owner[id] = e;
            }
        var missing = Enumerable.Range(0, agents).Where(id => owner[id] < 0).ToArray();
        if (missing.Length > 0)
            throw new InputException($"{Key}: {(missing.Length == 1 ? "agent" : "agents")} {Describe(missing)} {(missing.Length == 1 ? "is" : "are")} in no entry; " +
                $"expected every agent 0-{agents - 1} in exactly one entry");
    }

    /// <summary>Ascending ids as the shortest agents string: <c>0-3,8</c>.</summary>
    public static string Describe(IReadOnlyList<int> ids)
    {
        var parts = new List<string>();
        for (int k = 0; k < ids.Count;)
        {
            int end = k;
            while (end + 1 < ids.Count && ids[end + 1] == ids[end] + 1) end++;
            parts.Add(end == k ? ids[k].ToString(CultureInfo.InvariantCulture) : $"{ids[k].ToString(CultureInfo.InvariantCulture)}-{ids[end].ToString(CultureInfo.InvariantCulture)}");
            k = end + 1;
        }
        return string.Join(",", parts);
    }

    private static bool Id(string s, out int id) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
