using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// Which training samples each agent holds (index arrays into the one shared train set) and the public pool: a
/// held-out part of the training set whose labels algorithms must not read (they get indices/features only).
/// Every training index is in exactly one place (one agent, the pool, or — for the grouped split's equal chunks —
/// the few dropped remainder samples listed in <see cref="Unused"/>).
/// </summary>
public sealed record Partition(int[][] AgentIndices, int[] PublicIndices, int[] Unused, int[][] LabelHistograms)
{
    public int Agents => AgentIndices.Length;

    /// <summary>
    /// How many whole draws the rejection loop needed (Dirichlet kinds; for the grouped split the largest count of
    /// any group). 1 for the kinds that never redraw. Reported because a large number means min-samples is nearly
    /// out of reach for this α.
    /// </summary>
    public int Attempts { get; init; } = 1;

    public static Partition Create(int[][] agents, int[] publicPool, int[] unused, int[] labels, int numClasses)
    {
        var histograms = agents.Select(a =>
        {
            var h = new int[numClasses];
            foreach (int i in a) h[labels[i]]++;
            return h;
        }).ToArray();
        return new Partition(agents, publicPool, unused, histograms);
    }
}

/// <summary>
/// How to split: the partitioner (<see cref="PartitionerRegistry"/>), Dirichlet concentration α, minimum samples per
/// agent (dirichlet only: dirichlet-grouped has the reference codes' own rule, 50% of an equal share per worker),
/// shards per agent (shards only), the fraction of the training set held out first as the public pool, and the
/// settings of partitioners with sections of their own.
/// </summary>
public sealed record PartitionSpec(PartitionerDescriptor Kind, int Agents, double Alpha = 0.1, int MinSamples = 10, int ShardsPerAgent = 2, double PublicFraction = 0.0)
{
    /// <summary>The partitioner named <paramref name="Kind"/> (an unknown name is one input error).</summary>
    public PartitionSpec(string Kind, int Agents, double Alpha = 0.1, int MinSamples = 10, int ShardsPerAgent = 2, double PublicFraction = 0.0)
        : this(PartitionerRegistry.Get(Kind), Agents, Alpha, MinSamples, ShardsPerAgent, PublicFraction) { }

    public PluginSettings Settings { get; init; } = PluginSettings.None;
}
