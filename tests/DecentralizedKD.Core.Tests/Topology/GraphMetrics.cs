using DecentralizedKD.Core.Topology;

namespace DecentralizedKD.Core.Tests.Topology;

/// <summary>Independent graph measurements for assertions (kept out of the product code on purpose).</summary>
internal static class GraphMetrics
{
    /// <summary>Side (0/1) of each node in a 2-colouring, or null if the graph has an odd cycle.</summary>
    public static int[]? Bipartition(Graph g)
    {
        var side = Enumerable.Repeat(-1, g.Nodes).ToArray();
        for (int s = 0; s < g.Nodes; s++)
        {
            if (side[s] >= 0) continue;
            side[s] = 0;
            var queue = new Queue<int>([s]);
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                foreach (int v in g.Neighbors(u))
                {
                    if (side[v] < 0) { side[v] = 1 - side[u]; queue.Enqueue(v); }
                    else if (side[v] == side[u]) return null;
                }
            }
        }
        return side;
    }

    public static int[] Distances(Graph g, int source)
    {
        var dist = Enumerable.Repeat(-1, g.Nodes).ToArray();
        dist[source] = 0;
        var queue = new Queue<int>([source]);
        while (queue.Count > 0)
        {
            int u = queue.Dequeue();
            foreach (int v in g.Neighbors(u))
                if (dist[v] < 0) { dist[v] = dist[u] + 1; queue.Enqueue(v); }
        }
        return dist;
    }

    public static int Diameter(Graph g) => Enumerable.Range(0, g.Nodes).Max(s => Distances(g, s).Max());

    /// <summary>Length of the shortest cycle (BFS from every node; exact for the small graphs tested).</summary>
    public static int Girth(Graph g)
    {
        int best = int.MaxValue;
        for (int s = 0; s < g.Nodes; s++)
        {
            var dist = Enumerable.Repeat(-1, g.Nodes).ToArray();
            var parent = new int[g.Nodes];
            var queue = new Queue<int>([s]);
            dist[s] = 0;
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                foreach (int v in g.Neighbors(u))
                {
                    if (dist[v] < 0) { dist[v] = dist[u] + 1; parent[v] = u; queue.Enqueue(v); }
                    else if (parent[u] != v) best = Math.Min(best, dist[u] + dist[v] + 1);
                }
            }
        }
        return best;
    }

    public static bool IsRegular(Graph g, int degree) => Enumerable.Range(0, g.Nodes).All(i => g.Degree(i) == degree);
}
