using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary><c>experiment.dataset</c>: which dataset (<see cref="Source"/>), where, and the typed settings of every registered dataset's section.</summary>
public sealed record DatasetConfig(
    DatasetDescriptor Source,
    string Path,
    double PublicFraction,
    bool Normalize,
    int TestSamples,
    PluginSettings Settings)
{
    /// <summary>The value of <c>dataset.name</c>.</summary>
    public string Name => Source.Name;
}
