using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary>The ways to split a training set among agents: a built-in one is one line in the list below.</summary>
public static class PartitionerRegistry
{
    public const string SectionRoot = "experiment.partition";

    public static PluginRegistry<PartitionerDescriptor> Registry { get; } = new("partitioner", "partitioners", "experiment.partition.kind", SectionRoot,
    [
        new IidPartitioner(),
        new DirichletPartitioner(),
        new GroupedDirichletPartitioner(),
        new ShardsPartitioner(),
    ]);

    /// <summary>Adds a partitioner defined outside the engine (see <see cref="PluginRegistry{T}.Register"/>).</summary>
    public static void Register(PartitionerDescriptor descriptor) => Registry.Register(descriptor);

    public static PartitionerDescriptor Get(string name) => Registry.Get(name);
}
