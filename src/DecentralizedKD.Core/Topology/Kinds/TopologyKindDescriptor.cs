using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Topology.Kinds;

/// <summary>
/// Everything the engine needs to know about one graph family (<c>topology.kind</c>): its name, whether it has a fixed
/// number of nodes, which of the shared topology keys it needs, and how to build the graph. A new kind is this
/// descriptor and one line in <see cref="TopologyKindRegistry"/>; <see cref="TopologyFactory"/> checks every result
/// is connected.
/// </summary>
public abstract class TopologyKindDescriptor : PluginDescriptor
{
    /// <summary>The number of nodes a fixed graph has (<c>social32</c>: 32); null when it takes any agent count.</summary>
    public virtual int? FixedNodes => null;

    public override IReadOnlyList<string> Facts => FixedNodes is int n ? [$"exactly {n} agents"] : [];

    /// <summary>What names this graph in messages: <c>'ring'</c>, or the file of an edge list.</summary>
    public virtual string Describe(TopologyOptions options) => $"'{Name}'";

    /// <summary>Checks the topology keys it needs when the config is read (the file kind needs <c>topology.file</c>).</summary>
    public virtual void Check(TopologyConfig topology) { }

    /// <summary>The graph over <paramref name="agents"/> nodes (&gt; 0), drawing only from <see cref="TopologyOptions.Seed"/>.</summary>
    public abstract Graph Build(int agents, TopologyOptions options);

    /// <summary>A section under <c>experiment.topology</c>, for a kind with keys of its own.</summary>
    protected static ConfigSection OwnSection(string name, string defaults, Func<ISettingsReader, object> read, IReadOnlyList<string>? listKeys = null) =>
        SectionUnder(TopologyKindRegistry.SectionRoot, name, defaults, read, listKeys);
}
