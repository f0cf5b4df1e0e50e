using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class GeneratorTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]  // i+1 and i−1 are the same peer
    [InlineData(3, 3)]
    [InlineData(16, 16)]
    public void Ring_links_i_to_i_plus_and_minus_one(int n, int edges)
    {
        var g = TopologyFactory.Create("ring", n);
        Assert.Equal(edges, g.EdgeCount);
        for (int i = 0; i < n && n > 2; i++)
            Assert.Equal(new[] { (i + n - 1) % n, (i + 1) % n }.Order(), g.Neighbors(i));
    }

    [Fact]
    public void Torus_is_qgms_periodic_square_grid()
    {
        var g = TopologyFactory.Create("torus", 16);
        Assert.True(GraphMetrics.IsRegular(g, 4));
        Assert.Equal(32, g.EdgeCount);
        Assert.Equal(new[] { 1, 3, 4, 12 }, g.Neighbors(0));   // same as networkx grid_2d_graph(4, 4, periodic=True)
        Assert.Equal(new[] { 1, 4, 6, 9 }, g.Neighbors(5));
        var nine = TopologyFactory.Create("torus", 9);
        Assert.Equal(18, nine.EdgeCount);
        Assert.Equal(new[] { 1, 2, 3, 6 }, nine.Neighbors(0));
        // m = 2: left = right and up = down, merged into a 4-cycle (networkx gives 4 edges too).
        var four = TopologyFactory.Create("torus", 4);
        Assert.Equal(4, four.EdgeCount);
        Assert.Equal(new[] { 1, 2 }, four.Neighbors(0));
        Assert.Equal(0, TopologyFactory.Create("torus", 1).EdgeCount);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(32)]
    [InlineData(2)]
    public void Torus_rejects_non_square_agent_counts(int n)
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("torus", n));
        Assert.Contains("perfect-square", e.Message);
        Assert.Contains($"got {n}", e.Message);
    }

    [Fact]
    public void Circulant_is_ccls_c_n_1_4()
    {
        var g = TopologyFactory.Create("circulant", 32);
        Assert.Equal(new[] { 1, 4, 28, 31 }, g.Neighbors(0));
        Assert.Equal(new[] { 6, 9, 11, 14 }, g.Neighbors(10));
        Assert.True(GraphMetrics.IsRegular(g, 4));
        Assert.Equal(64, g.EdgeCount);
        // Small n folds hops: on 8 nodes i+4 = i−4 (degree 3); on 4 nodes i±4 = i, leaving the ring.
        Assert.True(GraphMetrics.IsRegular(TopologyFactory.Create("circulant", 8), 3));
        Assert.Equal(TopologyFactory.Create("ring", 4).Edges(), TopologyFactory.Create("circulant", 4).Edges());
    }

    [Fact]
    public void Full_and_star()
    {
        var full = TopologyFactory.Create("full", 7);
        Assert.Equal(21, full.EdgeCount);
        Assert.True(GraphMetrics.IsRegular(full, 6));
        var star = TopologyFactory.Create("star", 6);
        Assert.Equal(5, star.EdgeCount);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, star.Neighbors(0));
        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal(new[] { 0 }, star.Neighbors(i)));
    }

    [Fact]
    public void Exponential_links_powers_of_two_in_both_directions()
    {
        var g = TopologyFactory.Create("exponential", 16);
        Assert.Equal(new[] { 1, 2, 4, 8, 12, 14, 15 }, g.Neighbors(0));   // ±1, ±2, ±4, 8 (= −8)
        Assert.True(GraphMetrics.IsRegular(g, 7));
        var twelve = TopologyFactory.Create("exponential", 12);
        Assert.Equal(new[] { 1, 2, 4, 8, 10, 11 }, twelve.Neighbors(0));   // 4 = −8 and 8 = −4 mod 12
        Assert.Equal(new[] { 1, 3, 4, 6, 7, 9 }, twelve.Neighbors(5));       // 5 ± 4 and 5 ± 8 both give 1 and 9
    }

    [Fact]
    public void Erdos_renyi_is_seeded_connected_and_has_about_p_of_the_pairs()
    {
        TopologyOptions Options(ulong seed) => new() { Seed = seed, Probability = 0.2 };
        var a = TopologyFactory.Create("erdos-renyi", 40, Options(1));
        var b = TopologyFactory.Create("erdos-renyi", 40, Options(1));
        var c = TopologyFactory.Create("erdos-renyi", 40, Options(2));
        Assert.Equal(a.Edges(), b.Edges());
        Assert.NotEqual(a.Edges(), c.Edges());
        Assert.True(a.IsConnected() && c.IsConnected());
        // 780 pairs at p = 0.2: mean 156, standard deviation ≈ 11.
        Assert.InRange(a.EdgeCount, 156 - 50, 156 + 50);
        Assert.Equal(TopologyFactory.Create("full", 9).Edges(), TopologyFactory.Create("erdos-renyi", 9, new TopologyOptions { Probability = 1 }).Edges());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Erdos_renyi_rejects_probabilities_outside_0_1(double p)
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("erdos-renyi", 10, new TopologyOptions { Probability = p }));
        Assert.Contains("topology.probability", e.Message);
    }

    [Fact]
    public void Erdos_renyi_gives_up_with_a_hint_when_connectivity_is_hopeless()
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("erdos-renyi", 40, new TopologyOptions { Probability = 0.001 }));
        Assert.Contains($"{RandomGraphs.MaxAttempts} draws", e.Message);
        Assert.Contains("ln(n)/n", e.Message);
    }

    [Theory]
    [InlineData(30, 3, 7UL)]
    [InlineData(20, 4, 1UL)]
    [InlineData(16, 7, 2UL)]
    [InlineData(40, 12, 3UL)]   // far beyond what plain rejection of non-simple pairings could reach
    [InlineData(12, 2, 4UL)]
    [InlineData(2, 1, 5UL)]
    [InlineData(9, 8, 6UL)]     // d = n − 1: the complete graph
    public void Regular_is_d_regular_simple_and_connected(int n, int d, ulong seed)
    {
        var options = new TopologyOptions { Seed = seed, Degree = d };
        var g = TopologyFactory.Create("regular", n, options);
        Assert.True(GraphMetrics.IsRegular(g, d));
        Assert.Equal(n * d / 2, g.EdgeCount);
        Assert.True(g.IsConnected());
        Assert.Equal(g.Edges(), TopologyFactory.Create("regular", n, options).Edges());
    }

    [Fact]
    public void Regular_depends_on_the_seed()
    {
        var a = TopologyFactory.Create("regular", 30, new TopologyOptions { Seed = 1, Degree = 3 });
        var b = TopologyFactory.Create("regular", 30, new TopologyOptions { Seed = 2, Degree = 3 });
        Assert.NotEqual(a.Edges(), b.Edges());
    }

    [Theory]
    [InlineData(5, 3, "impossible")]    // n·d odd
    [InlineData(5, 5, "impossible")]    // d ≥ n
    [InlineData(5, 0, "impossible")]
    [InlineData(6, 1, "never connected")]
    public void Regular_rejects_impossible_degrees(int n, int d, string expected)
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("regular", n, new TopologyOptions { Degree = d }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unknown_kinds_and_bad_agent_counts_are_input_errors()
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("hypercube", 8));
        Assert.Contains("'hypercube'", e.Message);
        Assert.Contains("ring | torus | circulant | full | star | exponential | erdos-renyi | regular | social32 | dyck32 | file", e.Message);
        Assert.Throws<InputException>(() => TopologyFactory.Create("Ring", 8));   // names are exact
        Assert.Contains("agents = 0", Assert.Throws<InputException>(() => TopologyFactory.Create("ring", 0)).Message);
    }

    [Fact]
    public void Kind_names_round_trip()
    {
        var registry = TopologyKindRegistry.Registry;
        Assert.Equal(["ring", "torus", "circulant", "full", "star", "exponential", "erdos-renyi", "regular", "social32", "dyck32", "file"], registry.Names);
        foreach (string name in registry.Names)
            Assert.Equal(name, registry.Get(name).Name);
        Assert.IsType<ErdosRenyiTopology>(registry.Get("erdos-renyi"));
        Assert.Same(TopologyKindRegistry.Ring, registry.Get("ring"));
        Assert.Equal(32, registry.Get("social32").FixedNodes);
        Assert.Null(registry.Get("ring").FixedNodes);
    }

    [Fact]
    public void Disconnected_graphs_are_rejected_naming_components()
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.EnsureConnected(new Graph(5, [(0, 1), (2, 3), (3, 4)]), "topology 'x'"));
        Assert.Equal("topology 'x' is disconnected: 2 components, e.g. {0, 1} and {2, 3, 4}; gossip cannot mix between them", e.Message);
    }
}
