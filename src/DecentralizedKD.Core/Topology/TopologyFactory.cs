using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Topology;

/// <summary>Builds the communication graph of a topology kind; every result is checked to be connected.</summary>
public static class TopologyFactory
{
    public static readonly string[] Kinds =
        ["ring", "torus", "circulant", "full", "star", "exponential", "erdos-renyi", "regular", "social32", "dyck32", "file"];

    private const int MaxAttempts = 10_000;

    public static Graph Create(string kind, int agents, TopologyOptions? options = null)
    {
        options ??= new TopologyOptions();
        if (agents <= 0) throw new InputException($"topology: agents = {agents}, expected > 0");
        var graph = kind switch
        {
            "ring" => new Graph(agents, Enumerable.Range(0, agents).Select(i => (i, (i + 1) % agents))),
            "torus" => Torus(agents),
            "circulant" => new Graph(agents, Enumerable.Range(0, agents).SelectMany(i => new[] { (i, (i + 1) % agents), (i, (i + 4) % agents) })),
            "full" => new Graph(agents, Enumerable.Range(0, agents).SelectMany(i => Enumerable.Range(i + 1, agents - i - 1).Select(j => (i, j)))),
            "star" => new Graph(agents, Enumerable.Range(1, agents - 1).Select(i => (0, i))),
            "exponential" => Exponential(agents),
            "erdos-renyi" => ErdosRenyi(agents, options.Probability, options.Seed),
            "regular" => RandomRegular(agents, options.Degree, options.Seed),
            "social32" => Fixed("social32", agents, 32, KnownGraphs.Social32Edges()),
            "dyck32" => Fixed("dyck32", agents, 32, KnownGraphs.Dyck32Edges()),
            "file" => FromFile(options.File, agents),
            _ => throw new InputException($"topology '{kind}': unknown kind, expected one of {string.Join(" | ", Kinds)}"),
        };
        if (!graph.IsConnected())
            throw new InputException($"topology '{kind}' with {agents} agents is disconnected: gossip cannot mix information between its components");
        return graph;
    }

    private static Graph Torus(int n)
    {
        int m = (int)Math.Round(Math.Sqrt(n));
        if (m * m != n) throw new InputException($"topology 'torus' needs a perfect-square number of agents (QGM's m×m grid), got {n}");
        return new Graph(n, Enumerable.Range(0, n).SelectMany(i =>
        {
            int r = i / m, c = i % m;
            return new[] { (i, r * m + (c + 1) % m), (i, (r + 1) % m * m + c) };
        }));
    }

    private static Graph Exponential(int n)
    {
        var edges = new List<(int, int)>();
        for (int i = 0; i < n; i++)
            for (int hop = 1; hop < n; hop *= 2) edges.Add((i, (i + hop) % n));
        return new Graph(n, edges);
    }

    private static Graph ErdosRenyi(int n, double p, ulong seed)
    {
        if (!(p > 0 && p <= 1)) throw new InputException($"topology.probability = {p}: expected a number in (0, 1]");
        var rng = Rng.Derive(seed, 0, "erdos-renyi");
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var edges = new List<(int, int)>();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (rng.NextDouble() < p) edges.Add((i, j));
            var g = new Graph(n, edges);
            if (g.IsConnected()) return g;
        }
        throw new InputException($"topology 'erdos-renyi': no connected graph with p = {p} on {n} agents in {MaxAttempts} draws; raise topology.probability");
    }

    /// <summary>Pairing model: shuffle n·d stubs, pair them; redraw on self-loops, multi-edges or disconnection.</summary>
    private static Graph RandomRegular(int n, int d, ulong seed)
    {
        if (d < 1 || d >= n || (long)n * d % 2 != 0)
            throw new InputException($"topology 'regular': degree {d} on {n} agents is impossible (need 1 <= d < n and n·d even)");
        var rng = Rng.Derive(seed, 0, "regular");
        var stubs = new int[n * d];
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            for (int k = 0; k < stubs.Length; k++) stubs[k] = k / d;
            rng.Shuffle<int>(stubs);
            var seen = new HashSet<(int, int)>();
            bool ok = true;
            for (int k = 0; k < stubs.Length && ok; k += 2)
            {
                int u = Math.Min(stubs[k], stubs[k + 1]), v = Math.Max(stubs[k], stubs[k + 1]);
                ok = u != v && seen.Add((u, v));
            }
            if (!ok) continue;
            var g = new Graph(n, seen);
            if (g.IsConnected()) return g;
        }
        throw new InputException($"topology 'regular': no simple connected {d}-regular graph on {n} agents found in {MaxAttempts} draws");
    }

    private static Graph Fixed(string kind, int agents, int nodes, IEnumerable<(int, int)> edges)
    {
        if (agents != nodes) throw new InputException($"topology '{kind}' has exactly {nodes} nodes, but experiment.agents = {agents}");
        return new Graph(nodes, edges);
    }

    private static Graph FromFile(string path, int agents)
    {
        if (string.IsNullOrEmpty(path)) throw new InputException("topology 'file' needs topology.file (an edge-list path)");
        var g = EdgeListFile.Read(path);
        if (g.Nodes != agents) throw new InputException($"topology file '{path}' has {g.Nodes} nodes, but experiment.agents = {agents}");
        return g;
    }
}
