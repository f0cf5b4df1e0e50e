using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// Everything the engine needs to know about one dataset (<c>dataset.name</c>), in one class: its name, where its
/// files usually are, what it offers (a public pool carved from its training set, a natural per-user split) and how to
/// load it. A new dataset is this descriptor (with its format reader) and one line in <see cref="DatasetRegistry"/>.
/// </summary>
public abstract class DatasetDescriptor : PluginDescriptor
{
    /// <summary>
    /// Where its files usually are, for <c>dkd partition</c> without <c>--path</c>; "" for a dataset that reads no
    /// files (<c>dataset.path</c> is then unused).
    /// </summary>
    public virtual string DefaultPath => "";

    /// <summary>Whether IDKD/MHD's unlabelled public pool may be carved from its training set (<c>dataset.public-fraction</c>).</summary>
    public virtual bool SupportsPublicPool => true;

    /// <summary>Whether its files carry a natural per-user split (writers, speakers) instead of one drawn by a partitioner.</summary>
    public virtual bool NaturalSplit => false;

    public override IReadOnlyList<string> Facts =>
    [
        DefaultPath.Length > 0 ? $"files usually at {DefaultPath}" : "reads no files",
        SupportsPublicPool ? "public pool (dataset.public-fraction)" : "no public pool",
        .. NaturalSplit ? ["natural per-user split"] : Array.Empty<string>(),
    ];

    /// <summary>
    /// What identifies one loaded copy in this process's <see cref="DatasetStore"/>: equal keys share one in-memory
    /// copy. By default the name, the full path and the normalisation.
    /// </summary>
    public virtual string CacheKey(DatasetConfig config, ulong seed) => $"{Name}:{System.IO.Path.GetFullPath(config.Path)}:{config.Normalize}";

    /// <summary>Reads (or makes) the train and test sets; a malformed file is one <see cref="InputException"/> line naming it.</summary>
    public abstract TrainTestSets Load(DatasetConfig config, ulong seed);

    /// <summary>A section under <c>experiment.dataset</c>, for a dataset with keys of its own.</summary>
    protected static ConfigSection OwnSection(string name, string defaults, Func<ISettingsReader, object> read, IReadOnlyList<string>? listKeys = null) =>
        SectionUnder(DatasetRegistry.SectionRoot, name, defaults, read, listKeys);
}
