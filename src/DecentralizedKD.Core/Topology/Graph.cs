namespace DecentralizedKD.Core.Topology;

/// <summary>
/// An undirected simple graph on nodes 0..n−1 (the communication topology). Neighbour lists are sorted and exclude
/// the node itself; duplicate edges are merged.
/// </summary>
public sealed class Graph
{
    private readonly int[][] _neighbors;

    public Graph(int nodes, IEnumerable<(int U, int V)> edges)
    {
        if (nodes <= 0) throw new InputException($"topology: {nodes} nodes, expected > 0");
        var sets = Enumerable.Range(0, nodes).Select(_ => new SortedSet<int>()).ToArray();
        foreach (var (u, v) in edges)
        {
            if (u < 0 || v < 0 || u >= nodes || v >= nodes) throw new ArgumentOutOfRangeException(nameof(edges), $"edge ({u},{v}) outside 0..{nodes - 1}");
            if (u == v) continue;
            sets[u].Add(v);
            sets[v].Add(u);
        }
        _neighbors = sets.Select(s => s.ToArray()).ToArray();
        EdgeCount = _neighbors.Sum(n => n.Length) / 2;
    }

    public int Nodes => _neighbors.Length;
    public int EdgeCount { get; }
    public IReadOnlyList<int> Neighbors(int i) => _neighbors[i];
    public int Degree(int i) => _neighbors[i].Length;
    public bool HasEdge(int i, int j) => Array.BinarySearch(_neighbors[i], j) >= 0;

    public IEnumerable<(int U, int V)> Edges()
    {
        for (int u = 0; u < Nodes; u++)
            foreach (int v in _neighbors[u])
                if (u < v) yield return (u, v);
    }

    public bool IsConnected()
    {
        var seen = new bool[Nodes];
        var stack = new Stack<int>([0]);
        seen[0] = true;
        int count = 1;
        while (stack.Count > 0)
            foreach (int v in _neighbors[stack.Pop()])
                if (!seen[v]) { seen[v] = true; count++; stack.Push(v); }
        return count == Nodes;
    }
}
