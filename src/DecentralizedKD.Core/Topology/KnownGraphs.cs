namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Fixed 32-node graphs used by the reference codes. The data is compiled in, so these kinds work without any file;
/// <c>topologies/social32.edges</c> carries the same social32 edges for users who want to edit or inspect them
/// (a test keeps the two identical).
/// </summary>
public static class KnownGraphs
{
    public const int Social32Nodes = 32;
    public const int Dyck32Nodes = 32;

    /// <summary>Women are nodes 0..17, events E1..E14 are nodes 18..31 (networkx node order).</summary>
    public const int Social32Women = 18;

    /// <summary>
    /// Davis Southern Women (QGM's 32-node "social" topology, networkx <c>davis_southern_women_graph()</c>): one row
    /// per woman, in networkx order, listing the events (1-based, E1..E14) she attended. 89 memberships = 89 edges.
    /// Checked against networkx 3.6.1: same node order, same edge set.
    /// </summary>
    private static readonly int[][] DavisMemberships =
    [
        [1, 2, 3, 4, 5, 6, 8, 9],        // Evelyn Jefferson
        [1, 2, 3, 5, 6, 7, 8],           // Laura Mandeville
        [2, 3, 4, 5, 6, 7, 8, 9],        // Theresa Anderson
        [1, 3, 4, 5, 6, 7, 8],           // Brenda Rogers
        [3, 4, 5, 7],                    // Charlotte McDowd
        [3, 5, 6, 8],                    // Frances Anderson
        [5, 6, 7, 8],                    // Eleanor Nye
        [6, 8, 9],                       // Pearl Oglethorpe
        [5, 7, 8, 9],                    // Ruth DeSand
        [7, 8, 9, 12],                   // Verne Sanderson
        [8, 9, 10, 12],                  // Myra Liddel
        [8, 9, 10, 12, 13, 14],          // Katherina Rogers
        [7, 8, 9, 10, 12, 13, 14],       // Sylvia Avondale
        [6, 7, 9, 10, 11, 12, 13, 14],   // Nora Fayette
        [7, 8, 10, 11, 12],              // Helen Lloyd
        [8, 9],                          // Dorothy Murchison
        [9, 11],                         // Olivia Carleton
        [9, 11],                         // Flora Price
    ];

    /// <summary>
    /// CCL's "Dyck graph" (its DyckGraph class), peer lists copied as data, rank by rank. Structure: four 8-cycles
    /// (0–7, 8–15, 16–23, 24–31) joined by perfect matchings. It is cubic, bipartite, has 48 edges and girth 6 like
    /// the Dyck graph, but it is NOT isomorphic to it (diameter 6 instead of 5; 28 instead of 12 eight-cycles; the
    /// Dyck graph is LCF [5,−5,13,−13]^8). We keep CCL's graph because matching CCL's experiments is the point.
    /// </summary>
    private static readonly int[][] CclDyckPeers =
    [
        [1, 7, 8], [2, 0, 17], [3, 1, 10], [4, 2, 19], [5, 3, 12], [6, 4, 21], [7, 5, 14], [0, 6, 23],
        [9, 15, 0], [10, 8, 25], [11, 9, 2], [12, 10, 27], [13, 11, 4], [14, 12, 29], [15, 13, 6], [8, 14, 31],
        [17, 23, 24], [18, 16, 1], [19, 17, 26], [20, 18, 3], [21, 19, 28], [22, 20, 5], [23, 21, 30], [16, 22, 7],
        [25, 31, 16], [26, 24, 9], [27, 25, 18], [28, 26, 11], [29, 27, 20], [30, 28, 13], [31, 29, 22], [24, 30, 15],
    ];

    /// <summary>The 89 woman–event edges (woman, 17 + event number).</summary>
    public static IEnumerable<(int U, int V)> Social32Edges() =>
        DavisMemberships.SelectMany((events, woman) => events.Select(e => (woman, Social32Women + e - 1)));

    /// <summary>CCL's peer lists as edges; every peer relation is listed from both ends, the graph merges them.</summary>
    public static IEnumerable<(int U, int V)> Dyck32Edges() =>
        CclDyckPeers.SelectMany((peers, rank) => peers.Select(p => (rank, p)));

    public static Graph Social32() => new(Social32Nodes, Social32Edges());

    public static Graph Dyck32() => new(Dyck32Nodes, Dyck32Edges());
}
