using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class PartitionerTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    private int[] Labels => fmnist.Data.Train.Labels;

    private Partition Split(string kind, int agents = 16, double alpha = 0.1, double pub = 0, ulong seed = 1, int shards = 2) =>
        Partitioner.Split(Labels, 10, new PartitionSpec(kind, agents, alpha, 10, shards, pub), seed);

    private static double MeanClasses(Partition p) => p.LabelHistograms.Average(h => h.Count(c => c > 0));

    [Theory]
    [InlineData("iid", 0.0)]
    [InlineData("dirichlet", 0.0)]
    [InlineData("dirichlet", 0.1)]
    [InlineData("shards", 0.0)]
    [InlineData("dirichlet-grouped", 0.0)]
    [InlineData("dirichlet-grouped", 0.2)]
    public void Every_index_is_in_exactly_one_place(string kind, double pub)
    {
        var p = Split(kind, pub: pub);
        var all = p.AgentIndices.SelectMany(a => a).Concat(p.PublicIndices).Concat(p.Unused).ToList();
        Assert.Equal(Labels.Length, all.Count);
        Assert.Equal(Enumerable.Range(0, Labels.Length), all.Order());
        Assert.Equal((int)Math.Round(pub * Labels.Length), p.PublicIndices.Length);
    }

    [Theory]
    [InlineData("iid")]
    [InlineData("dirichlet")]
    [InlineData("shards")]
    [InlineData("dirichlet-grouped")]
    public void Same_seed_same_partition_other_seed_other_partition(string kind)
    {
        Assert.Equal(Split(kind, seed: 4).AgentIndices, Split(kind, seed: 4).AgentIndices);
        Assert.NotEqual(Split(kind, seed: 4).AgentIndices, Split(kind, seed: 5).AgentIndices);
    }

    [Fact]
    public void Small_alpha_concentrates_labels_large_alpha_spreads_them()
    {
        double skewed = MeanClasses(Split("dirichlet", alpha: 0.01));
        double spread = MeanClasses(Split("dirichlet", alpha: 100));
        Assert.InRange(skewed, 1.0, 2.5);   // typically 1–2 classes per agent
        Assert.Equal(10.0, spread);
        var iid = Split("iid");
        Assert.All(iid.AgentIndices, a => Assert.InRange(a.Length, 3750, 3750));
        Assert.All(iid.LabelHistograms, h => Assert.All(h, c => Assert.InRange(c, 300, 450)));
    }

    [Fact]
    public void Dirichlet_respects_min_samples()
    {
        var p = Partitioner.Split(Labels, 10, new PartitionSpec("dirichlet", 32, 0.05, 200), 9);
        Assert.True(p.AgentIndices.Min(a => a.Length) >= 200);
    }

    [Fact]
    public void Grouped_split_gives_equal_contiguous_chunks()
    {
        var p16 = Split("dirichlet-grouped", 16, 0.01);
        Assert.All(p16.AgentIndices, a => Assert.Equal(3750, a.Length));
        var p32 = Split("dirichlet-grouped", 32, 0.01);
        Assert.All(p32.AgentIndices, a => Assert.Equal(1875, a.Length));
        // Still strongly non-IID at α = 0.01.
        Assert.True(MeanClasses(p16) < 5, $"mean classes {MeanClasses(p16)}");
    }

    [Fact]
    public void Shards_give_each_agent_at_most_k_plus_boundary_classes()
    {
        var p = Split("shards", shards: 2);
        // 32 shards of 1875 sorted samples; a shard spans at most 2 classes (6000 per class), so ≤ 4 classes per agent.
        Assert.All(p.LabelHistograms, h => Assert.InRange(h.Count(c => c > 0), 1, 4));
        Assert.True(MeanClasses(p) <= 3.0);
    }

    [Fact]
    public void Impossible_requests_are_input_errors()
    {
        Assert.Contains("alpha", Assert.Throws<InputException>(() => Split("dirichlet", alpha: 0)).Message);
        Assert.Contains("expected one of", Assert.Throws<InputException>(() => Split("pathological")).Message);
        Assert.Contains("70000 agents but only 60000", Assert.Throws<InputException>(() => Split("iid", agents: 70000)).Message);
        Assert.Contains("public-fraction", Assert.Throws<InputException>(() => Split("iid", pub: 1.0)).Message);
    }

    [Fact]
    public void Batch_sampler_covers_an_epoch_without_repeats_and_tiles_small_sets()
    {
        int[] local = Enumerable.Range(100, 70).ToArray();
        var s = new BatchSampler(local, 32, 3);
        var seen = new List<int>();
        var batch = new int[32];
        for (int k = 0; k < 2; k++) { s.Next(batch); seen.AddRange(batch); }
        Assert.Equal(64, seen.Distinct().Count());     // floor(70/32)·32 distinct indices in one local epoch
        Assert.All(seen, i => Assert.Contains(i, local));
        Assert.Equal(1, s.Epoch);
        s.Next(batch);
        Assert.Equal(2, s.Epoch);                       // tail of 6 dropped, new permutation

        var again = new BatchSampler(local, 32, 3);
        var first = new int[32];
        again.Next(first);
        Assert.Equal(seen.Take(32), first);

        var tiny = new BatchSampler([1, 2, 3], 8, 1);
        var b8 = new int[8];
        tiny.Next(b8);
        Assert.All(b8, i => Assert.InRange(i, 1, 3));
    }
}

public sealed class PublicPoolTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void Public_pool_serves_features_of_held_out_samples_only()
    {
        var train = fmnist.Data.Train;
        var p = Partitioner.Split(train.Labels, 10, new PartitionSpec("dirichlet", 8, 0.5, 10, 2, 0.1), 2);
        Assert.Equal(6000, p.PublicIndices.Length);
        var pool = new PublicPool(train, p.PublicIndices);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = pool.Features([0, 5999]);
        Assert.Equal(new long[] { 2, 1, 28, 28 }, x.shape);
        Assert.Equal(train.Sample(p.PublicIndices[5999])[300], x[1, 0, 10, 20].item<float>());
        Assert.DoesNotContain(typeof(PublicPool).GetMembers(), m => m.Name.Contains("Label", StringComparison.OrdinalIgnoreCase));
    }
}
