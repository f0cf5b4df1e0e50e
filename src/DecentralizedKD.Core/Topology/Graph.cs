namespace DecentralizedKD.Core.Topology;

/// <summary>
/// An undirected simple graph on nodes 0..n−1: who may talk to whom. Neighbour lists are sorted ascending and
/// exclude the node itself, because gossip combines in neighbour order and must not depend on how edges were listed.
/// Immutable once built.
/// </summary>
public sealed class Graph
{
    private readonly int[][] _neighbors;
    private readonly IReadOnlyList<int>[] _views;

    /// <summary>
    /// Builds the graph from an edge list. Duplicate edges (in either direction) are merged. A self-loop is a
    /// caller error here: the node's own weight belongs to the mixing matrix, not to the graph. Generators that wrap
    /// around modulo n use <see cref="FromWrappedEdges"/> instead.
    /// </summary>
    public Graph(int nodes, IEnumerable<(int U, int V)> edges)
        : this(nodes, edges, dropSelfLoops: false)
    {
    }

    private Graph(int nodes, IEnumerable<(int U, int V)> edges, bool dropSelfLoops)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodes);
        var lists = new List<int>[nodes];
        for (int i = 0; i < nodes; i++) lists[i] = [];
        foreach (var (u, v) in edges)
        {
            if ((uint)u >= (uint)nodes || (uint)v >= (uint)nodes)
                throw new ArgumentOutOfRangeException(nameof(edges), $"edge ({u},{v}) outside nodes 0..{nodes - 1}");
            if (u == v)
            {
                if (dropSelfLoops) continue;
                throw new ArgumentException($"self-loop ({u},{v}): the graph is simple, self weights come from the mixing matrix", nameof(edges));
            }
            lists[u].Add(v);
            lists[v].Add(u);
        }
        _neighbors = new int[nodes][];
        _views = new IReadOnlyList<int>[nodes];
        long degreeSum = 0;
        for (int i = 0; i < nodes; i++)
        {
            lists[i].Sort();
            _neighbors[i] = DistinctSorted(lists[i]);
            _views[i] = Array.AsReadOnly(_neighbors[i]);
            degreeSum += _neighbors[i].Length;
        }
        EdgeCount = checked((int)(degreeSum / 2));
    }

    /// <summary>
    /// For generators that compute peers as i ± h mod n: on small n a hop can land on the node itself (a ring of 1,
    /// C_4(1,4)) or twice on the same peer (a 2×2 torus). Those are not edges; dropping them keeps the graph simple.
    /// </summary>
    internal static Graph FromWrappedEdges(int nodes, IEnumerable<(int U, int V)> edges) => new(nodes, edges, dropSelfLoops: true);

    public int Nodes => _neighbors.Length;

    /// <summary>Number of undirected edges (each counted once).</summary>
    public int EdgeCount { get; }

    /// <summary>Neighbours of <paramref name="i"/>, ascending, without <paramref name="i"/> itself.</summary>
    public IReadOnlyList<int> Neighbors(int i) => _views[i];

    public int Degree(int i) => _neighbors[i].Length;

    public bool HasEdge(int i, int j) => Array.BinarySearch(_neighbors[i], j) >= 0;

    /// <summary>Every edge once, as (u, v) with u &lt; v, in ascending order: a canonical form to compare graphs.</summary>
    public IEnumerable<(int U, int V)> Edges()
    {
        for (int u = 0; u < Nodes; u++)
            foreach (int v in _neighbors[u])
                if (u < v) yield return (u, v);
    }

    public bool IsConnected() => Components().Count == 1;

    /// <summary>
    /// Connected components (breadth-first search), each sorted ascending, ordered by their smallest node. Used to
    /// say *which* agents cannot reach each other when a topology is rejected as disconnected.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Components()
    {
        var seen = new bool[Nodes];
        var components = new List<IReadOnlyList<int>>();
        var queue = new Queue<int>();
        for (int start = 0; start < Nodes; start++)
        {
            if (seen[start]) continue;
            var members = new List<int>();
            seen[start] = true;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                members.Add(u);
                foreach (int v in _neighbors[u])
                    if (!seen[v]) { seen[v] = true; queue.Enqueue(v); }
            }
            members.Sort();
            components.Add(members);
        }
        return components;
    }

    private static int[] DistinctSorted(List<int> sorted)
    {
        var result = new List<int>(sorted.Count);
        foreach (int x in sorted)
            if (result.Count == 0 || result[^1] != x) result.Add(x);
        return [.. result];
    }
}
