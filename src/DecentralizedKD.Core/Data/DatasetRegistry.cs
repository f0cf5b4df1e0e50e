using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary>The datasets this engine reads: a built-in one is one line in the list below.</summary>
public static class DatasetRegistry
{
    public const string SectionRoot = "experiment.dataset";

    public static PluginRegistry<DatasetDescriptor> Registry { get; } = new("dataset", "datasets", "experiment.dataset.name", SectionRoot,
    [
        new FashionMnistDataset(),
        new MnistDataset(),
        new Cifar10Dataset(),
        new Cifar100Dataset(),
        new SyntheticDataset(),
    ]);

    /// <summary>Adds a dataset defined outside the engine (see <see cref="PluginRegistry{T}.Register"/>).</summary>
    public static void Register(DatasetDescriptor descriptor) => Registry.Register(descriptor);

    public static DatasetDescriptor Get(string name) => Registry.Get(name);
}
