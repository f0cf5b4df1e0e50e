using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// Everything the engine needs to know about one way of splitting the training set among agents
/// (<c>partition.kind</c>): its name, which of the shared keys it reads, its checks against the data size, and the
/// split itself. A new partitioner is this descriptor and one line in <see cref="PartitionerRegistry"/>.
/// </summary>
public abstract class PartitionerDescriptor : PluginDescriptor
{
    /// <summary>Whether it draws label mixes from Dirichlet(α), so <c>partition.alpha</c> must be a finite number &gt; 0.</summary>
    public virtual bool UsesAlpha => false;

    public override IReadOnlyList<string> Facts => UsesAlpha ? ["reads partition.alpha"] : [];

    /// <summary>
    /// Checks <paramref name="spec"/> against a training set of <paramref name="samples"/> samples (the checks every
    /// kind shares have passed): one <see cref="InputException"/> line naming the key.
    /// </summary>
    public virtual void Validate(int samples, PartitionSpec spec) { }

    /// <summary>
    /// Splits <paramref name="indices"/> (the training set without the public pool, sorted) among
    /// <see cref="PartitionSpec.Agents"/> agents, drawing only from <paramref name="rng"/>.
    /// </summary>
    public abstract PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng);

    /// <summary>A section under <c>experiment.partition</c>, for a partitioner with keys of its own.</summary>
    protected static ConfigSection OwnSection(string name, string defaults, Func<ISettingsReader, object> read, IReadOnlyList<string>? listKeys = null) =>
        SectionUnder(PartitionerRegistry.SectionRoot, name, defaults, read, listKeys);
}

/// <summary>One split: each agent's indices, the indices left out (kept out of every agent), and how many whole draws it took.</summary>
public sealed record PartitionDraw(int[][] Agents, int[] Unused, int Attempts)
{
    public PartitionDraw(int[][] agents) : this(agents, [], 1) { }
}
