namespace DecentralizedKD.Core.Topology.Kinds;

/// <summary>One known graph with a fixed number of nodes: the agent count must match it.</summary>
public sealed class FixedGraphTopology(string name, string description, Func<Graph> graph) : TopologyKindDescriptor
{
    private readonly Lazy<Graph> _graph = new(graph);

    public override string Name => name;
    public override string Description => description;
    public override int? FixedNodes => _graph.Value.Nodes;

    public override Graph Build(int agents, TopologyOptions options)
    {
        if (agents != _graph.Value.Nodes)
            throw new InputException($"topology '{Name}' has exactly {_graph.Value.Nodes} nodes, but agents = {agents}");
        return _graph.Value;
    }
}
