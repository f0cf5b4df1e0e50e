using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Models;

/// <summary>The architectures this engine knows: a built-in one is one line in the list below.</summary>
public static class ModelRegistry
{
    public const string SectionRoot = "experiment.model";

    public static PluginRegistry<ModelDescriptor> Registry { get; } = new("model", "models", "experiment.model.name", SectionRoot,
    [
        new MlpDescriptor(),
        new LeNet5Descriptor(),
        new ResNet20Descriptor(),
    ]);

    /// <summary>Adds an architecture defined outside the engine (see <see cref="PluginRegistry{T}.Register"/>).</summary>
    public static void Register(ModelDescriptor descriptor) => Registry.Register(descriptor);

    /// <summary>The architecture called <paramref name="name"/>; an unknown name is one input error listing the known ones.</summary>
    public static ModelDescriptor Get(string name) => Registry.Get(name);
}
