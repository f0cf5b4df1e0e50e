
namespace DecentralizedKD.Core.Topology.Kinds;

/// <summary><c>topology.kind = file</c>: the undirected graph of an edge-list file (<see cref="EdgeListFile"/>).</summary>
public sealed class EdgeListTopology : TopologyKindDescriptor
{
    public override string Name => "file";
    public override string Description => "the edge list of topology.file (one 'i j' pair per line, nodes 0..n-1)";
    public override string Describe(TopologyOptions options) => $"file '{options.File}'";

    public override void Check(TopologyConfig topology)
    {
        if (topology.File.Length == 0) throw new InputException("experiment.topology.file: required when experiment.topology.kind = file");
    }

    public override Graph Build(int agents, TopologyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.File)) throw new InputException("topology 'file' needs topology.file (an edge-list path)");
        var graph = EdgeListFile.Read(options.File);
        if (graph.Nodes != agents)
            throw new InputException($"topology file '{options.File}' has {graph.Nodes} nodes, but agents = {agents}");
        return graph;
    }
}
