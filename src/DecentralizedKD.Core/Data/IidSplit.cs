using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>IID: shuffle, then equal contiguous slices (sizes differ by at most one).</summary>
internal static class IidSplit
{
    public static int[][] Split(int[] indices, int agents, Rng rng)
    {
        var shuffled = (int[])indices.Clone();
        rng.Shuffle<int>(shuffled);
        return SplitMath.EqualChunks(shuffled, agents, dropRemainder: false, out _);
    }
}
