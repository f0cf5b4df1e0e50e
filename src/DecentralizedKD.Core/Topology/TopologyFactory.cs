namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Builds the communication graph for a topology kind and agent count. Every result is checked to be connected:
/// gossip on a disconnected graph never reaches consensus, which is a configuration error, not a result.
/// </summary>
public static class TopologyFactory
{
    /// <summary>Exact kind names, for usage lines and config validation.</summary>
    public static IReadOnlyList<string> Kinds => TopologyKinds.Names;

    public static Graph Create(string kind, int agents, TopologyOptions? options = null) =>
        Create(TopologyKinds.Parse(kind), agents, options);

    public static Graph Create(TopologyKind kind, int agents, TopologyOptions? options = null)
    {
        options ??= new TopologyOptions();
        if (agents <= 0) throw new InputException($"topology '{TopologyKinds.NameOf(kind)}': agents = {agents}, expected > 0");
        var graph = kind switch
        {
            TopologyKind.Ring => DeterministicGraphs.Ring(agents),
            TopologyKind.Torus => DeterministicGraphs.Torus(agents),
            TopologyKind.Circulant => DeterministicGraphs.Circulant(agents, 1, 4),
            TopologyKind.Full => DeterministicGraphs.Full(agents),
            TopologyKind.Star => DeterministicGraphs.Star(agents),
            TopologyKind.Exponential => DeterministicGraphs.Exponential(agents),
            TopologyKind.ErdosRenyi => RandomGraphs.ErdosRenyi(agents, options.Probability, options.Seed),
            TopologyKind.Regular => RandomGraphs.Regular(agents, options.Degree, options.Seed),
            TopologyKind.Social32 => Fixed("social32", agents, KnownGraphs.Social32()),
            TopologyKind.Dyck32 => Fixed("dyck32", agents, KnownGraphs.Dyck32()),
            TopologyKind.File => FromFile(options.File, agents),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a topology kind"),
        };
        string label = kind == TopologyKind.File ? $"file '{options.File}'" : $"'{TopologyKinds.NameOf(kind)}'";
        EnsureConnected(graph, $"topology {label} with {agents} agents");
        return graph;
    }

    /// <summary>Throws an input error naming up to two components, so the user can see which agents are cut off.</summary>
    public static void EnsureConnected(Graph graph, string what)
    {
        var components = graph.Components();
        if (components.Count == 1) return;
        static string Show(IReadOnlyList<int> c) =>
            "{" + string.Join(", ", c.Take(6)) + (c.Count > 6 ? $", … ({c.Count} nodes)" : "") + "}";
        throw new InputException(
            $"{what} is disconnected: {components.Count} components, e.g. {Show(components[0])} and {Show(components[1])}; gossip cannot mix between them");
    }

    private static Graph Fixed(string kind, int agents, Graph graph)
    {
        if (agents != graph.Nodes)
            throw new InputException($"topology '{kind}' has exactly {graph.Nodes} nodes, but agents = {agents}");
        return graph;
    }

    private static Graph FromFile(string path, int agents)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException("topology 'file' needs topology.file (an edge-list path)");
        var graph = EdgeListFile.Read(path);
        if (graph.Nodes != agents)
            throw new InputException($"topology file '{path}' has {graph.Nodes} nodes, but agents = {agents}");
        return graph;
    }
}
