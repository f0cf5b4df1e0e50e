namespace DecentralizedKD.Core.Topology.Kinds;

/// <summary>A graph family with no parameters and no randomness: the graph depends on the agent count alone.</summary>
public sealed class DeterministicTopology(string name, string description, Func<int, Graph> build) : TopologyKindDescriptor
{
    public override string Name => name;
    public override string Description => description;
    public override Graph Build(int agents, TopologyOptions options) => build(agents);
}
