namespace DecentralizedKD.Core.Topology.Kinds;

public sealed class ErdosRenyiTopology : TopologyKindDescriptor
{
    public override string Name => "erdos-renyi";
    public override string Description => "G(n, topology.probability), seeded, redrawn until connected";
    public override Graph Build(int agents, TopologyOptions options) => RandomGraphs.ErdosRenyi(agents, options.Probability, options.Seed);
}
