using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// Pathological non-IID shards (McMahan et al.): sort by label, cut into agents × k equal shards, give every agent
/// k random shards. A shard spans one class, or two at a class boundary, so an agent sees about k classes.
/// </summary>
internal static class ShardSplit
{
    public static int[][] Split(int[] indices, int[] labels, PartitionSpec spec, Rng rng)
    {
        var sorted = indices.OrderBy(i => labels[i]).ThenBy(i => i).ToArray();
        int k = spec.ShardsPerAgent, shards = spec.Agents * k;
        var pieces = SplitMath.EqualChunks(sorted, shards, dropRemainder: false, out _);
        var order = rng.Permutation(shards);
        return Enumerable.Range(0, spec.Agents)
            .Select(a => Enumerable.Range(0, k).SelectMany(j => pieces[order[a * k + j]]).ToArray())
            .ToArray();
    }
}
