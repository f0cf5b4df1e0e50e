using DecentralizedKD.Core.Topology;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class KnownGraphTests
{
    [Fact]
    public void Social32_is_the_davis_southern_women_graph()
    {
        var g = TopologyFactory.Create("social32", 32);
        Assert.Equal(32, g.Nodes);
        Assert.Equal(89, g.EdgeCount);
        // Degrees in networkx node order (women, then E1..E14), as networkx 3.6.1 reports them.
        int[] women = [8, 7, 8, 7, 4, 4, 4, 3, 4, 4, 4, 6, 7, 8, 5, 2, 2, 2];
        int[] events = [3, 3, 6, 4, 8, 8, 10, 14, 12, 5, 4, 6, 3, 3];
        Assert.Equal(women, Enumerable.Range(0, 18).Select(g.Degree));
        Assert.Equal(events, Enumerable.Range(18, 14).Select(g.Degree));
        Assert.True(g.HasEdge(0, 18));    // Evelyn Jefferson attended E1
        Assert.False(g.HasEdge(0, 24));   // … but not E7
        Assert.Equal(new[] { 26, 28 }, g.Neighbors(17));   // Flora Price: E9, E11
        Assert.True(g.IsConnected());
    }

    [Fact]
    public void Social32_is_bipartite_women_versus_events()
    {
        var g = KnownGraphs.Social32();
        var side = GraphMetrics.Bipartition(g);
        Assert.NotNull(side);
        Assert.All(Enumerable.Range(0, 18), i => Assert.Equal(side[0], side[i]));
        Assert.All(Enumerable.Range(18, 14), i => Assert.NotEqual(side[0], side[i]));
        Assert.All(g.Edges(), e => Assert.True(e.U < KnownGraphs.Social32Women && e.V >= KnownGraphs.Social32Women));
    }

    [Fact]
    public void Social32_edge_file_matches_the_builtin_graph()
    {
        string path = Path.Combine(RepositoryRoot.FullName, "topologies", "social32.edges");
        var fromFile = TopologyFactory.Create("file", 32, new TopologyOptions { File = path });
        Assert.Equal(KnownGraphs.Social32().Edges(), fromFile.Edges());
    }

    [Fact]
    public void Dyck32_is_cubic_bipartite_with_48_edges_and_girth_6()
    {
        var g = TopologyFactory.Create("dyck32", 32);
        Assert.Equal(32, g.Nodes);
        Assert.Equal(48, g.EdgeCount);
        Assert.True(GraphMetrics.IsRegular(g, 3));
        var side = GraphMetrics.Bipartition(g);
        Assert.NotNull(side);
        Assert.Equal(16, side.Count(s => s == 0));
        Assert.Equal(6, GraphMetrics.Girth(g));
    }

    [Fact]
    public void Dyck32_is_ccls_hard_coded_peer_list()
    {
        var g = KnownGraphs.Dyck32();
        Assert.Equal(new[] { 1, 7, 8 }, g.Neighbors(0));     // CCL: _add_peers(0, [1, 7, 8])
        Assert.Equal(new[] { 0, 2, 17 }, g.Neighbors(1));    // CCL: _add_peers(1, [2, 0, 17])
        Assert.Equal(new[] { 0, 9, 15 }, g.Neighbors(8));    // CCL: _add_peers(8,  [9,  15, 0])
        Assert.Equal(new[] { 15, 24, 30 }, g.Neighbors(31));  // CCL: _add_peers(31, [24, 30, 15])
    }

    [Fact]
    public void Dyck32_differs_from_the_lcf_dyck_graph_as_documented()
    {
        // CCL's graph shares the Dyck graph's invariants above but not its diameter: the real Dyck graph
        // (LCF [5,−5,13,−13]^8) has diameter 5, CCL's has 6. We reproduce CCL; this pins the difference down.
        int[] lcf = [5, -5, 13, -13];
        var dyck = new Graph(32, Enumerable.Range(0, 32).SelectMany(i => new[] { (i, (i + 1) % 32), (i, ((i + lcf[i % 4]) % 32 + 32) % 32) }));
        Assert.Equal(48, dyck.EdgeCount);
        Assert.True(GraphMetrics.IsRegular(dyck, 3));
        Assert.Equal(6, GraphMetrics.Girth(dyck));
        Assert.Equal(5, GraphMetrics.Diameter(dyck));
        Assert.Equal(6, GraphMetrics.Diameter(KnownGraphs.Dyck32()));
        // And it mixes more slowly: with weights 1/4, λ₂ = (1 + a₂)/4 where a₂ is the adjacency's second eigenvalue,
        // √5 for the Dyck graph but 1 + √2 for CCL's graph.
        double Gap(Graph g) => TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform));
        Assert.Equal(1 - (1 + Math.Sqrt(5)) / 4, Gap(dyck), 12);
        Assert.Equal(1 - (2 + Math.Sqrt(2)) / 4, Gap(KnownGraphs.Dyck32()), 12);
    }

    [Theory]
    [InlineData("social32")]
    [InlineData("dyck32")]
    public void Fixed_graphs_need_exactly_32_agents(string kind)
    {
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create(kind, 16));
        Assert.Contains("exactly 32 nodes", e.Message);
    }
}
