using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class PartitionerTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    private int[] Labels => fmnist.Data.Train.Labels;

    private Partition Split(string kind, int agents = 16, double alpha = 0.1, double pub = 0, ulong seed = 1, int shards = 2, int min = 10) =>
        Partitioner.Split(Labels, 10, new PartitionSpec(kind, agents, alpha, min, shards, pub), seed);

    private static double MeanClasses(Partition p) => p.LabelHistograms.Average(h => h.Count(c => c > 0));

    [Theory]
    [InlineData("iid", 0.0)]
    [InlineData("iid", 0.1)]
    [InlineData("dirichlet", 0.0)]
    [InlineData("dirichlet", 0.1)]
    [InlineData("shards", 0.0)]
    [InlineData("shards", 0.1)]
    [InlineData("dirichlet-grouped", 0.0)]
    [InlineData("dirichlet-grouped", 0.1)]
    public void Every_index_is_in_exactly_one_place(string kind, double pub)
    {
        var p = Split(kind, pub: pub);
        var all = p.AgentIndices.SelectMany(a => a).Concat(p.PublicIndices).Concat(p.Unused).ToList();
        Assert.Equal(Labels.Length, all.Count);
        Assert.Equal(Enumerable.Range(0, Labels.Length), all.Order());
        Assert.Equal(pub == 0 ? 0 : 6000, p.PublicIndices.Length);
        Assert.Equal(16, p.Agents);
        // The histograms describe exactly the agents' own indices.
        for (int a = 0; a < p.Agents; a++)
            Assert.Equal(fmnist.Data.Train.LabelHistogram(p.AgentIndices[a]), p.LabelHistograms[a]);
        // Only the grouped split drops a remainder, and only when n does not divide N: 60000 and 54000 split evenly by 16.
        Assert.Empty(p.Unused);
    }

    [Fact]
    public void Public_pool_is_the_same_whatever_the_kind_and_disjoint_from_agents()
    {
        var pools = new[] { "iid", "dirichlet", "shards", "dirichlet-grouped" }.Select(k => Split(k, pub: 0.1, seed: 3)).ToArray();
        Assert.All(pools, p => Assert.Equal(pools[0].PublicIndices, p.PublicIndices));
        var pool = pools[0].PublicIndices.ToHashSet();
        Assert.Equal(6000, pool.Count);
        Assert.All(pools, p => Assert.DoesNotContain(p.AgentIndices.SelectMany(a => a), pool.Contains));
        // Drawn at random, so roughly 600 of each class.
        Assert.All(fmnist.Data.Train.LabelHistogram(pool), c => Assert.InRange(c, 500, 700));
        Assert.NotEqual(pools[0].PublicIndices, Split("iid", pub: 0.1, seed: 4).PublicIndices);
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
        var skewed = Split("dirichlet", alpha: 0.01);
        var spread = Split("dirichlet", alpha: 100);
        Assert.InRange(MeanClasses(skewed), 1.0, 2.5);   // each class lands on ~1 agent: 1–2 classes per agent
        Assert.Equal(10.0, MeanClasses(spread));
        // α = 100: every agent's class shares are within a few points of 10%.
        Assert.All(spread.LabelHistograms, h => Assert.All(h, c => Assert.InRange(c / (double)h.Sum(), 0.06, 0.14)));
        Assert.InRange(MeanClasses(Split("dirichlet", alpha: 0.1)), 3.0, 8.0);
    }

    [Fact]
    public void Iid_sizes_differ_by_at_most_one_and_classes_are_near_uniform()
    {
        var iid = Split("iid", agents: 7);   // 60000 = 7·8571 + 3
        Assert.Equal(new[] { 8572, 8572, 8572, 8571, 8571, 8571, 8571 }, iid.AgentIndices.Select(a => a.Length));
        Assert.All(iid.LabelHistograms, h => Assert.All(h, c => Assert.InRange(c / (double)h.Sum(), 0.085, 0.115)));
        Assert.All(Split("iid").LabelHistograms, h => Assert.All(h, c => Assert.InRange(c, 300, 450)));   // 375 expected
    }

    [Fact]
    public void Dirichlet_respects_min_samples_and_reports_its_redraws()
    {
        var p = Partitioner.Split(Labels, 10, new PartitionSpec("dirichlet", 32, 0.05, 200), 9);
        Assert.True(p.AgentIndices.Min(a => a.Length) >= 200);
        Assert.True(p.Attempts > 1, $"{p.Attempts} draws");   // with α = 0.05 the first draw leaves some agent short
        Assert.Equal(1, Split("iid").Attempts);
    }

    [Fact]
    public void Unreachable_min_samples_fails_fast_with_a_clear_error()
    {
        // 3 agents × 33 ≤ 99 passes the up-front check, but it needs the one class cut into exact thirds, which
        // Dir(0.001) (almost always one agent takes nearly everything) practically never gives. One class keeps each
        // rejected draw cheap; the bound counts draws, so the message is the same at any size. That the search ends at
        // all is the draw count in the message (Partitioner.MaxAttempts), not a wall-clock limit.
        int[] labels = new int[99];
        var e = Assert.Throws<InputException>(() => Partitioner.Split(labels, 1, new PartitionSpec("dirichlet", 3, 0.001, 33), 1));
        Assert.Contains($"every one of 3 agents at least 33 samples in {Partitioner.MaxAttempts} draws; lower partition.min-samples or raise partition.alpha", e.Message);
        // The grouped split needs every worker at half an equal share: 3 workers from one class, same problem.
        Assert.Contains("grouped Dirichlet split (α = 0.001) found no assignment giving each of 3 workers ≥ 16 samples", Assert.Throws<InputException>(() =>
            Partitioner.Split(labels, 1, new PartitionSpec("dirichlet-grouped", 3, 0.001), 1)).Message);
        Assert.Contains("cannot each hold", Assert.Throws<InputException>(() => Split("dirichlet", min: 3751)).Message);
    }

    [Fact]
    public void Grouped_split_has_the_reference_groups_and_equal_chunks()
    {
        Assert.Equal(new[] { 10, 6 }, GroupedDirichletSplit.GroupSizes(16));
        Assert.Equal(new[] { 10, 10, 10, 2 }, GroupedDirichletSplit.GroupSizes(32));
        Assert.Equal(new[] { 8 }, GroupedDirichletSplit.GroupSizes(8));
        Assert.Equal(new[] { 37500, 22500 }, GroupedDirichletSplit.GroupSlices(16, 60000));
        Assert.Equal(new[] { 18750, 18750, 18750, 3750 }, GroupedDirichletSplit.GroupSlices(32, 60000));
        Assert.Equal(new[] { 60000 }, GroupedDirichletSplit.GroupSlices(8, 60000));

        var p16 = Split("dirichlet-grouped", 16, 0.01);
        Assert.All(p16.AgentIndices, a => Assert.Equal(3750, a.Length));
        var p32 = Split("dirichlet-grouped", 32, 0.01);
        Assert.All(p32.AgentIndices, a => Assert.Equal(1875, a.Length));
        // Still strongly non-IID at α = 0.01, and near-IID at α = 100.
        Assert.True(MeanClasses(p16) < 5, $"mean classes {MeanClasses(p16)}");
        Assert.Equal(10.0, MeanClasses(Split("dirichlet-grouped", 16, 100)));
        // 15 agents (IDKD's social15) do not divide 60000 − 7 public samples: int(N/15) each, the rest unused.
        var p15 = Partitioner.Split(Labels[..59993], 10, new PartitionSpec("dirichlet-grouped", 15, 0.05), 2);
        Assert.All(p15.AgentIndices, a => Assert.Equal(3999, a.Length));
        Assert.Equal(59993 - 15 * 3999, p15.Unused.Length);
    }

    [Fact]
    public void Shards_give_each_agent_about_k_classes()
    {
        var p = Split("shards", shards: 2);
        // 32 shards of 1875 sorted samples; a shard spans at most 2 classes (6000 per class), so ≤ 4 classes per agent.
        Assert.All(p.AgentIndices, a => Assert.Equal(3750, a.Length));
        Assert.All(p.LabelHistograms, h => Assert.InRange(h.Count(c => c > 0), 1, 4));
        Assert.InRange(MeanClasses(p), 1.5, 3.0);
        // 100 shards of 600 = one class each: exactly k = 1 class per agent when shards align with classes.
        var aligned = Split("shards", agents: 100, shards: 1);
        Assert.All(aligned.LabelHistograms, h => Assert.Equal(1, h.Count(c => c > 0)));
    }

    [Fact]
    public void Impossible_requests_are_input_errors()
    {
        Assert.Contains("partition.alpha = 0", Assert.Throws<InputException>(() => Split("dirichlet", alpha: 0)).Message);
        Assert.Contains("partition.alpha = -1", Assert.Throws<InputException>(() => Split("dirichlet-grouped", alpha: -1)).Message);
        Assert.Contains("expected a finite number", Assert.Throws<InputException>(() => Split("dirichlet", alpha: double.PositiveInfinity)).Message);
        var unknown = Assert.Throws<InputException>(() => Split("pathological")).Message;
        Assert.Contains("'pathological': expected one of iid | dirichlet | dirichlet-grouped | shards", unknown);
        Assert.Contains("agents = 0, expected > 0", Assert.Throws<InputException>(() => Split("iid", agents: 0)).Message);
        Assert.Contains("70000 agents but only 60000", Assert.Throws<InputException>(() => Split("iid", agents: 70000)).Message);
        Assert.Contains("public-fraction = 1", Assert.Throws<InputException>(() => Split("iid", pub: 1.0)).Message);
        Assert.Contains("public-fraction = -0.1", Assert.Throws<InputException>(() => Split("iid", pub: -0.1)).Message);
        Assert.Contains("shards-per-agent = 4000", Assert.Throws<InputException>(() => Split("shards", shards: 4000)).Message);
        Assert.Contains("shards-per-agent = 0", Assert.Throws<InputException>(() => Split("shards", shards: 0)).Message);
        // Agents fit the training set but not what the public pool leaves of it.
        Assert.Contains("outside the public pool", Assert.Throws<InputException>(() =>
            Partitioner.Split(Labels[..10], 10, new PartitionSpec("iid", 10, PublicFraction: 0.5), 1)).Message);
    }
}
