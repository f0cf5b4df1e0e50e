using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Topology.Kinds;

/// <summary>The graph families of <c>topology.kind</c> (and <c>dkd topology KIND</c>): a built-in one is one line below.</summary>
public static class TopologyKindRegistry
{
    public const string SectionRoot = "experiment.topology";

    /// <summary>The cycle every reference code uses (what <c>dkd bench --reference</c> compares against).</summary>
    public static TopologyKindDescriptor Ring { get; } = new DeterministicTopology("ring", "each agent linked to its two neighbours on a cycle", DeterministicGraphs.Ring);

    public static PluginRegistry<TopologyKindDescriptor> Registry { get; } = new("topology kind", "topologies", "experiment.topology.kind", SectionRoot,
    [
        Ring,
        new DeterministicTopology("torus", "QGM's periodic m×m grid, m = √agents (a perfect square)", DeterministicGraphs.Torus),
        new DeterministicTopology("circulant", "i linked to i ± 1 and i ± 4 (CCL's \"torus\")", n => DeterministicGraphs.Circulant(n, 1, 4)),
        new DeterministicTopology("full", "every pair of agents linked", DeterministicGraphs.Full),
        new DeterministicTopology("star", "agent 0 linked to every other agent", DeterministicGraphs.Star),
        new DeterministicTopology("exponential", "i linked to i ± 2^k for 2^k < n (SGP-style, made undirected)", DeterministicGraphs.Exponential),
        new ErdosRenyiTopology(),
        new RegularTopology(),
        new FixedGraphTopology("social32", "Davis Southern Women graph, 32 nodes (QGM's \"social\" topology)", KnownGraphs.Social32),
        new FixedGraphTopology("dyck32", "CCL's 32-node cubic \"Dyck graph\" (its peer lists, not isomorphic to the true Dyck graph)", KnownGraphs.Dyck32),
        new EdgeListTopology(),
    ]);

    /// <summary>Adds a graph family defined outside the engine (see <see cref="PluginRegistry{T}.Register"/>).</summary>
    public static void Register(TopologyKindDescriptor descriptor) => Registry.Register(descriptor);

    public static TopologyKindDescriptor Get(string name) => Registry.Get(name);
}
