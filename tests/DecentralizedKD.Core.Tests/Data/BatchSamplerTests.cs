using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class BatchSamplerTests
{
    private static List<int[]> Take(BatchSampler s, int batches)
    {
        var result = new List<int[]>();
        for (int k = 0; k < batches; k++)
        {
            var b = new int[s.BatchSize];
            s.Next(b);
            result.Add(b);
        }
        return result;
    }

    [Fact]
    public void One_local_epoch_covers_floor_n_over_b_batches_without_repeats()
    {
        int[] local = Enumerable.Range(100, 70).Select(i => i * 3).ToArray();   // global ids, not 0..n−1
        var s = new BatchSampler(local, 32, 3);
        Assert.Equal(0, s.Epoch);
        Assert.Equal(2, s.BatchesPerEpoch);
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            var seen = Take(s, 2).SelectMany(b => b).ToList();
            Assert.Equal(epoch, s.Epoch);
            Assert.Equal(64, seen.Distinct().Count());   // ⌊70/32⌋·32 distinct indices, the tail of 6 dropped
            Assert.All(seen, i => Assert.Contains(i, local));
        }
        // Over many epochs every local sample is used (the dropped tail differs per epoch).
        Assert.Equal(70, Take(s, 40).SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void Same_seed_same_stream_other_seed_other_stream()
    {
        int[] local = Enumerable.Range(0, 500).ToArray();
        var a = Take(new BatchSampler(local, 16, 7), 60);
        Assert.Equal(a, Take(new BatchSampler(local, 16, 7), 60));
        Assert.NotEqual(a, Take(new BatchSampler(local, 16, 8), 60));
        // A new epoch is a new permutation, not a replay of the last one.
        Assert.NotEqual(a.Take(31).SelectMany(b => b), a.Skip(31).Take(31).SelectMany(b => b));
    }

    [Fact]
    public void A_local_set_smaller_than_the_batch_is_tiled_with_whole_permutations()
    {
        int[] local = [11, 22, 33];
        var s = new BatchSampler(local, 8, 1);
        Assert.Equal(1, s.BatchesPerEpoch);   // ⌈8/3⌉ = 3 permutations = 9 slots, one batch of 8
        for (int epoch = 1; epoch <= 20; epoch++)
        {
            var b = Take(s, 1)[0];
            Assert.Equal(epoch, s.Epoch);
            // 3 whole permutations then the 9th slot dropped: every index 2 or 3 times, and the first 3 and next 3
            // are each a permutation of the local set.
            Assert.All(local, i => Assert.InRange(b.Count(v => v == i), 2, 3));
            Assert.Equal(local, b[..3].Order());
            Assert.Equal(local, b[3..6].Order());
        }
        var exact = new BatchSampler([5, 6], 4, 2);   // B a multiple of n: two full permutations per batch
        Assert.All(Take(exact, 10), b => Assert.Equal(new[] { 5, 5, 6, 6 }, b.Order()));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Contains("no training samples", Assert.Throws<InputException>(() => new BatchSampler([], 4, 1)).Message);
        Assert.Contains("batch-size = 0", Assert.Throws<InputException>(() => new BatchSampler([1], 0, 1)).Message);
        Assert.Throws<ArgumentException>(() => new BatchSampler([1, 2], 2, 1).Next(new int[3]));
    }
}
