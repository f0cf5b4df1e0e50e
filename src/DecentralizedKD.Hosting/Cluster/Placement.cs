using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>Which worker host runs which agent. Placement never changes results, only which payloads cross hosts.</summary>
public static class Placement
{
    /// <summary>hostOf[i] for every agent: blocks = contiguous id ranges as equal as possible (ring neighbours mostly
    /// co-located); round-robin = i mod workers.</summary>
    public static int[] Assign(int agents, int workers, PlacementKind kind)
    {
        if (workers < 1 || workers > agents)
            throw new InputException($"experiment.cluster.workers = {workers}: expected between 1 and the number of agents ({agents})");
        return kind switch
        {
            PlacementKind.Blocks => Enumerable.Range(0, agents).Select(i => (int)((long)i * workers / agents)).ToArray(),
            PlacementKind.RoundRobin => Enumerable.Range(0, agents).Select(i => i % workers).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a placement"),
        };
    }

    /// <summary>Agent ids as compact ranges, e.g. "0-3, 8".</summary>
    public static string Describe(IEnumerable<int> ids)
    {
        var sorted = ids.Order().ToList();
        var parts = new List<string>();
        for (int k = 0; k < sorted.Count;)
        {
            int start = sorted[k], end = start;
            while (k + 1 < sorted.Count && sorted[k + 1] == end + 1) end = sorted[++k];
            k++;
            parts.Add(start == end ? $"{start}" : $"{start}-{end}");
        }
        return string.Join(", ", parts);
    }
}
