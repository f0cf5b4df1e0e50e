namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Deterministic generators: each is a closed formula in n, so the same agents count always yields the same graph.
/// Hops are taken modulo n; on small n they can fold onto the node itself or repeat a peer, which
/// <see cref="Graph.FromWrappedEdges"/> drops rather than rejects (a ring of 2 is a single edge, not an error).
/// </summary>
public static class DeterministicGraphs
{
    /// <summary>Neighbours i ± 1 mod n (every reference code's ring).</summary>
    public static Graph Ring(int n) => Circulant(n, 1);

    /// <summary>
    /// Circulant graph C_n(hops): neighbours i ± h mod n for each hop h. CCL's "torus" (its GridGraph) is
    /// C_n(1, 4): for n = 32 that is not a 4×8 grid, and we reproduce it as written to match CCL.
    /// </summary>
    public static Graph Circulant(int n, params int[] hops) =>
        Graph.FromWrappedEdges(n, Enumerable.Range(0, n).SelectMany(i => hops.Select(h => (i, Mod(i + h, n)))));

    /// <summary>
    /// QGM's torus: networkx's periodic m×m grid with m = √n, node (r, c) numbered r·m + c. QGM asserts that n is a
    /// perfect square, so we reject other n instead of silently building a different grid. For m = 2 the left and
    /// right (and up and down) neighbours coincide and the graph is a 4-cycle, as in networkx.
    /// </summary>
    public static Graph Torus(int n)
    {
        int m = (int)Math.Round(Math.Sqrt(n));
        if (m * m != n)
        {
            int below = (int)Math.Floor(Math.Sqrt(n));
            throw new InputException($"topology 'torus' needs a perfect-square number of agents (QGM's m×m periodic grid), got {n}; nearest squares are {below * below} and {(below + 1) * (below + 1)}");
        }
        return Graph.FromWrappedEdges(n, Enumerable.Range(0, n).SelectMany(i =>
        {
            int r = i / m, c = i % m;
            return new[] { (i, r * m + (c + 1) % m), (i, (r + 1) % m * m + c) };
        }));
    }

    /// <summary>Every pair of agents connected: one gossip step is an exact average under uniform weights 1/n.</summary>
    public static Graph Full(int n) =>
        new(n, Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(i + 1, n - i - 1).Select(j => (i, j))));

    /// <summary>Node 0 is the hub, every other node a leaf: the extreme irregular case (degrees n−1 and 1).</summary>
    public static Graph Star(int n) => new(n, Enumerable.Range(1, n - 1).Select(i => (0, i)));

    /// <summary>
    /// Exponential graph: peers at distance 2^k mod n for 2^k &lt; n. SGP-style codes use it directed (out-peers
    /// i + 2^k only); we add both directions so the graph stays undirected and the MH weights symmetric.
    /// </summary>
    public static Graph Exponential(int n)
    {
        var hops = new List<int>();
        for (long hop = 1; hop < n; hop *= 2) hops.Add((int)hop);
        return Circulant(n, [.. hops]);
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;
}
