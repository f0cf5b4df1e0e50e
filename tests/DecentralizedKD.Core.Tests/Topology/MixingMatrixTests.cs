using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class MixingMatrixTests
{
    /// <summary>Every kind at a few sizes, including irregular graphs (star, erdos-renyi, social32, file-free).</summary>
    public static TheoryData<string, int> AllKinds() => new()
    {
        { "ring", 2 }, { "ring", 5 }, { "ring", 16 }, { "ring", 32 },
        { "torus", 4 }, { "torus", 16 }, { "torus", 25 },
        { "circulant", 8 }, { "circulant", 32 },
        { "full", 1 }, { "full", 7 },
        { "star", 2 }, { "star", 9 },
        { "exponential", 12 }, { "exponential", 16 },
        { "erdos-renyi", 20 }, { "erdos-renyi", 50 },
        { "regular", 20 }, { "regular", 31 },
        { "social32", 32 }, { "dyck32", 32 },
    };

    private static Graph Create(string kind, int n) =>
        TopologyFactory.Create(kind, n, new TopologyOptions { Seed = 3, Probability = 0.3, Degree = 4 });

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Metropolis_hastings_is_symmetric_and_doubly_stochastic_on_every_kind(string kind, int n)
    {
        var g = Create(kind, n);
        foreach (double gamma in new[] { 1.0, 0.9, 0.5 })
        {
            var w = MixingMatrix.Build(g, MixingKind.MetropolisHastings, gamma);
            Assert.True(TopologyChecks.IsSymmetric(w));
            Assert.True(TopologyChecks.IsDoublyStochastic(w));
            for (int i = 0; i < n; i++)
                foreach (int j in g.Neighbors(i))
                    Assert.Equal(gamma / (1 + Math.Max(g.Degree(i), g.Degree(j))), w.Weight(i, j), 15);
            Assert.All(Enumerable.Range(0, n), i => Assert.True(w.SelfWeight(i) > 0));
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Uniform_is_row_stochastic_and_doubly_stochastic_exactly_on_regular_graphs(string kind, int n)
    {
        var g = Create(kind, n);
        var w = MixingMatrix.Build(g, MixingKind.Uniform);
        Assert.True(TopologyChecks.IsRowStochastic(w));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(1.0 / (g.Degree(i) + 1), w.SelfWeight(i), 13);   // 1 − Σ: one rounding per neighbour
            foreach (int j in g.Neighbors(i)) Assert.Equal(1.0 / (g.Degree(i) + 1), w.Weight(i, j), 15);
        }
        bool regular = GraphMetrics.IsRegular(g, g.Degree(0));
        Assert.Equal(regular, TopologyChecks.IsDoublyStochastic(w));
        Assert.Equal(regular, TopologyChecks.IsSymmetric(w));
        if (regular)
            Assert.Equal(MixingMatrix.Build(g, MixingKind.MetropolisHastings).ToArray(), w.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Non_zeros_lie_on_edges_and_the_diagonal_and_row_entries_list_them_in_order(string kind, int n)
    {
        var g = Create(kind, n);
        var w = MixingMatrix.Build(g, MixingKind.MetropolisHastings, 0.9);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                if (i != j && !g.HasEdge(i, j)) Assert.Equal(0.0, w.Weight(i, j));
            var row = w.RowEntries(i);
            Assert.Equal(g.Neighbors(i).Append(i).Order(), row.Select(e => e.Node));
            Assert.All(row, e => Assert.Equal(w.Weight(i, e.Node), e.Weight));
            Assert.Equal(1.0, row.Sum(e => e.Weight), 12);
        }
    }

    [Fact]
    public void Averaging_rate_gives_one_minus_gamma_identity_plus_gamma_w()
    {
        var g = TopologyFactory.Create("star", 5);
        var w = MixingMatrix.Build(g, MixingKind.Uniform);
        var wg = MixingMatrix.Build(g, MixingKind.Uniform, 0.9);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                Assert.Equal((i == j ? 0.1 : 0) + 0.9 * w.Weight(i, j), wg.Weight(i, j), 15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0000001)]
    [InlineData(2.0)]
    [InlineData(double.NaN)]
    public void Averaging_rate_outside_0_1_is_rejected(double gamma)
    {
        var g = TopologyFactory.Create("ring", 8);
        var e = Assert.Throws<InputException>(() => MixingMatrix.Build(g, MixingKind.MetropolisHastings, gamma));
        Assert.Contains("topology.gamma", e.Message);
        Assert.Contains("(0, 1]", e.Message);
    }

    [Fact]
    public void Mixing_kind_names()
    {
        Assert.Equal(MixingKind.Uniform, MixingKinds.Table.Parse("uniform", "--mixing"));
        Assert.Equal(MixingKind.MetropolisHastings, MixingKinds.Table.Parse("mh", "--mixing"));
        // One spelling per word, the same for the config and the CLI: the long name is refused by both.
        Assert.Equal("--mixing = 'metropolis-hastings': expected one of uniform | mh",
            Assert.Throws<InputException>(() => MixingKinds.Table.Parse("metropolis-hastings", "--mixing")).Message);
    }

    [Fact]
    public void From_dense_keeps_entries_and_lists_the_diagonal_plus_non_zeros()
    {
        var w = MixingMatrix.FromDense(new double[,] { { 0, 0.5, 0.5 }, { 0.25, 0.75, 0 }, { 1, 0, 0 } });
        Assert.Equal(3, w.Size);
        Assert.Equal(0.25, w.Weight(1, 0));
        Assert.Equal(new[] { new MixingEntry(0, 0), new MixingEntry(1, 0.5), new MixingEntry(2, 0.5) }, w.RowEntries(0));
        Assert.Equal(new[] { new MixingEntry(0, 1), new MixingEntry(2, 0) }, w.RowEntries(2));
        Assert.True(TopologyChecks.IsRowStochastic(w));
        Assert.False(TopologyChecks.IsDoublyStochastic(w));   // column 0 sums to 1.25
        Assert.False(TopologyChecks.IsSymmetric(w));
        Assert.False(TopologyChecks.IsRowStochastic(MixingMatrix.FromDense(new double[,] { { 1.5, -0.5 }, { 0.5, 0.5 } })));
        Assert.Throws<ArgumentException>(() => MixingMatrix.FromDense(new double[2, 3]));
        Assert.Throws<ArgumentException>(() => MixingMatrix.FromDense(new double[,] { { double.NaN } }));
    }

    [Fact]
    public void To_array_is_a_copy()
    {
        var w = MixingMatrix.Build(TopologyFactory.Create("ring", 4), MixingKind.Uniform);
        var copy = w.ToArray();
        copy[0] = 42;
        Assert.Equal(1.0 / 3, w.SelfWeight(0), 15);
    }
}
