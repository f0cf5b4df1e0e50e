using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// The public batch P_t of round t: pool ids drawn without replacement from a stream that depends only on
/// (experiment seed, round), so every agent computes the same ids and their logits refer to the same samples.
/// </summary>
public static class PublicBatches
{
    public static int[] Ids(ulong experimentSeed, int round, int poolSize, int batchSize)
    {
        if (batchSize < 1 || batchSize > poolSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"public batch of {batchSize} from a pool of {poolSize}");
        var rng = Rng.Derive(experimentSeed, round, "public-batch");
        // Partial Fisher–Yates: the first batchSize slots of a random permutation.
        var pool = new int[poolSize];
        for (int i = 0; i < poolSize; i++) pool[i] = i;
        for (int i = 0; i < batchSize; i++)
        {
            int j = i + rng.NextInt(poolSize - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..batchSize];
    }
}
