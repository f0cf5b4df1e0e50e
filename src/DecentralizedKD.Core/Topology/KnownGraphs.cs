namespace DecentralizedKD.Core.Topology;

/// <summary>Fixed graphs used by the reference codes.</summary>
public static class KnownGraphs
{
    /// <summary>
    /// Davis Southern Women (networkx davis_southern_women_graph, QGM's "social" topology): women 0–17 then events
    /// E1–E14 as nodes 18–31 (networkx node order); 89 woman–event edges. Each row: a woman's events.
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

    public const int Women = 18;

    public static IEnumerable<(int, int)> Social32Edges() =>
        DavisMemberships.SelectMany((events, woman) => events.Select(e => (woman, Women + e - 1)));

    /// <summary>The Dyck graph: LCF notation [5, −5, 13, −13]^8 — 32 nodes, 48 edges, cubic, bipartite, girth 6.</summary>
    public static IEnumerable<(int, int)> Dyck32Edges()
    {
        int[] lcf = [5, -5, 13, -13];
        for (int i = 0; i < 32; i++)
        {
            yield return (i, (i + 1) % 32);
            yield return (i, ((i + lcf[i % 4]) % 32 + 32) % 32);
        }
    }
}
