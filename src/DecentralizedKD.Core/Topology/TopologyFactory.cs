using DecentralizedKD.Core.Topology.Kinds;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Builds the communication graph for a topology kind and agent count. Every result is checked to be connected:
/// gossip on a disconnected graph never reaches consensus, which is a configuration error, not a result.
/// </summary>
public static class TopologyFactory
{
    /// <summary>The graph of the kind named <paramref name="kind"/> (an unknown name is one input error listing the kinds).</summary>
    public static Graph Create(string kind, int agents, TopologyOptions? options = null) =>
        Create(TopologyKindRegistry.Registry.Find(kind)
            ?? throw new InputException($"topology '{kind}': unknown kind, expected one of {TopologyKindRegistry.Registry.Choices}"), agents, options);

    public static Graph Create(TopologyKindDescriptor kind, int agents, TopologyOptions? options = null)
    {
        options ??= new TopologyOptions();
        if (agents <= 0) throw new InputException($"topology '{kind.Name}': agents = {agents}, expected > 0");
        var graph = kind.Build(agents, options);
        EnsureConnected(graph, $"topology {kind.Describe(options)} with {agents} agents");
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
}
