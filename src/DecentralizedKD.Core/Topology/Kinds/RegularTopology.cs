namespace DecentralizedKD.Core.Topology.Kinds;

public sealed class RegularTopology : TopologyKindDescriptor
{
    public override string Name => "regular";
    public override string Description => "a random connected topology.degree-regular graph, seeded";
    public override Graph Build(int agents, TopologyOptions options) => RandomGraphs.Regular(agents, options.Degree, options.Seed);
}
