using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class TopologyTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(32)]
    public void Ring_uniform_spectral_gap_equals_the_closed_form(int n)
    {
        var w = MixingMatrix.Build(TopologyFactory.Create("ring", n), MixingKind.Uniform);
        double expected = 1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / n));
        Assert.Equal(expected, TopologyChecks.SpectralGap(w), 9);
    }

    [Fact]
    public void Full_graph_mixes_in_one_step()
    {
        var w = MixingMatrix.Build(TopologyFactory.Create("full", 10), MixingKind.Uniform);
        Assert.Equal(0.1, w.Weight(3, 7), 15);
        Assert.Equal(1.0, TopologyChecks.SpectralGap(w), 9);
    }

    public static TheoryData<string, int> AllKinds() => new()
    {
        { "ring", 16 }, { "ring", 5 }, { "torus", 16 }, { "torus", 25 }, { "circulant", 32 }, { "full", 7 }, { "star", 9 },
        { "exponential", 16 }, { "exponential", 12 }, { "erdos-renyi", 20 }, { "regular", 20 }, { "social32", 32 }, { "dyck32", 32 },
    };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Metropolis_hastings_is_symmetric_and_doubly_stochastic_and_uniform_is_row_stochastic(string kind, int n)
    {
        var g = TopologyFactory.Create(kind, n, new TopologyOptions { Seed = 3, Probability = 0.3, Degree = 4 });
        Assert.True(g.IsConnected());
        var mh = MixingMatrix.Build(g, MixingKind.MetropolisHastings);
        Assert.True(TopologyChecks.IsSymmetric(mh));
        Assert.True(TopologyChecks.IsDoublyStochastic(mh));
        var uniform = MixingMatrix.Build(g, MixingKind.Uniform);
        for (int i = 0; i < n; i++)
        {
            double row = Enumerable.Range(0, n).Sum(j => uniform.Weight(i, j));
            Assert.Equal(1.0, row, 12);
            Assert.All(Enumerable.Range(0, n), j => Assert.True(uniform.Weight(i, j) >= 0));
        }
        bool regular = Enumerable.Range(0, n).All(i => g.Degree(i) == g.Degree(0));
        Assert.Equal(regular, TopologyChecks.IsDoublyStochastic(uniform));
        double gap = TopologyChecks.SpectralGap(mh);
        Assert.InRange(gap, 1e-6, 1.0 + 1e-9);
    }

    [Fact]
    public void Social32_is_the_davis_southern_women_graph()
    {
        var g = TopologyFactory.Create("social32", 32);
        Assert.Equal(32, g.Nodes);
        Assert.Equal(89, g.EdgeCount);
        int[] womenDegrees = [8, 7, 8, 7, 4, 4, 4, 3, 4, 4, 4, 6, 7, 8, 5, 2, 2, 2];
        Assert.Equal(womenDegrees, Enumerable.Range(0, 18).Select(g.Degree).ToArray());
        int[] eventDegrees = [3, 3, 6, 4, 8, 8, 10, 14, 12, 5, 4, 6, 3, 3];
        Assert.Equal(eventDegrees, Enumerable.Range(18, 14).Select(g.Degree).ToArray());
        // Bipartite: every edge joins a woman (0..17) to an event (18..31).
        Assert.All(g.Edges(), e => Assert.True(e.U < 18 && e.V >= 18));
    }

    [Fact]
    public void Social32_edge_file_matches_the_builtin_graph()
    {
        string path = Path.Combine(RepoRoot(), "topologies", "social32.edges");
        var fromFile = TopologyFactory.Create("file", 32, new TopologyOptions { File = path });
        Assert.Equal(TopologyFactory.Create("social32", 32).Edges(), fromFile.Edges());
    }

    [Fact]
    public void Dyck32_is_cubic_bipartite_with_48_edges_and_girth_6()
    {
        var g = TopologyFactory.Create("dyck32", 32);
        Assert.Equal(48, g.EdgeCount);
        Assert.All(Enumerable.Range(0, 32), i => Assert.Equal(3, g.Degree(i)));
        Assert.All(g.Edges(), e => Assert.NotEqual(e.U % 2, e.V % 2));
        Assert.Equal(6, Girth(g));
    }

    [Fact]
    public void Generators_produce_the_documented_neighbourhoods()
    {
        Assert.Equal(new[] { 1, 4, 28, 31 }, TopologyFactory.Create("circulant", 32).Neighbors(0));
        Assert.Equal(new[] { 1, 2, 4, 8, 12, 14, 15 }, TopologyFactory.Create("exponential", 16).Neighbors(0));
        var torus = TopologyFactory.Create("torus", 16);
        Assert.Equal(new[] { 1, 3, 4, 12 }, torus.Neighbors(0));
        Assert.All(Enumerable.Range(0, 16), i => Assert.Equal(4, torus.Degree(i)));
        var star = TopologyFactory.Create("star", 6);
        Assert.Equal(5, star.Degree(0));
        Assert.Equal(new[] { 0 }, star.Neighbors(3));
    }

    [Fact]
    public void Random_graphs_are_seeded()
    {
        var a = TopologyFactory.Create("erdos-renyi", 30, new TopologyOptions { Seed = 1, Probability = 0.2 });
        var b = TopologyFactory.Create("erdos-renyi", 30, new TopologyOptions { Seed = 1, Probability = 0.2 });
        var c = TopologyFactory.Create("erdos-renyi", 30, new TopologyOptions { Seed = 2, Probability = 0.2 });
        Assert.Equal(a.Edges(), b.Edges());
        Assert.NotEqual(a.Edges(), c.Edges());
        var r = TopologyFactory.Create("regular", 30, new TopologyOptions { Seed = 5, Degree = 3 });
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(3, r.Degree(i)));
        Assert.True(r.IsConnected());
    }

    [Fact]
    public void Averaging_rate_shrinks_the_spectrum_towards_one()
    {
        var g = TopologyFactory.Create("ring", 16);
        double gap = TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform));
        // Eigenvalues of W_γ are 1 − γ + γλ; for the ring λ₂ = 1 − gap (positive), so the gap scales by γ.
        Assert.Equal(0.9 * gap, TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform, 0.9)), 9);
        Assert.Throws<InputException>(() => MixingMatrix.Build(g, MixingKind.Uniform, 0));
        Assert.Throws<InputException>(() => MixingMatrix.Build(g, MixingKind.Uniform, 1.5));
    }

    [Fact]
    public void Non_symmetric_uniform_weights_on_a_star_have_the_known_spectrum()
    {
        // Star with 4 leaves, weights 1/(deg+1): eigenvalues 1, 1/2 (×3, leaf vectors summing to 0) and
        // trace − 1 − 3/2 = (1/5 + 4·1/2) − 5/2 = −0.3.
        var w = MixingMatrix.Build(TopologyFactory.Create("star", 5), MixingKind.Uniform);
        Assert.False(TopologyChecks.IsSymmetric(w));
        var moduli = TopologyChecks.EigenvalueModuli(w);
        Assert.Equal(new[] { 1.0, 0.5, 0.5, 0.5, 0.3 }, moduli.Select(m => Math.Round(m, 9)).ToArray());
        Assert.Equal(0.5, TopologyChecks.SpectralGap(w), 9);
    }

    [Fact]
    public void Bad_topologies_are_input_errors()
    {
        Assert.Contains("perfect-square", Assert.Throws<InputException>(() => TopologyFactory.Create("torus", 15)).Message);
        Assert.Contains("unknown kind", Assert.Throws<InputException>(() => TopologyFactory.Create("hypercube", 8)).Message);
        Assert.Contains("exactly 32 nodes", Assert.Throws<InputException>(() => TopologyFactory.Create("social32", 16)).Message);
        Assert.Contains("impossible", Assert.Throws<InputException>(() => TopologyFactory.Create("regular", 5, new TopologyOptions { Degree = 3 })).Message);
    }

    [Fact]
    public void Edge_list_files_are_parsed_and_checked()
    {
        string dir = Directory.CreateTempSubdirectory("dkd-edges-").FullName;
        try
        {
            string good = Path.Combine(dir, "good.edges");
            File.WriteAllText(good, "# a triangle plus a tail\n# nodes: 4\n0 1\n1 2 # inline comment\n\n2 0\n2,3\n");
            var g = TopologyFactory.Create("file", 4, new TopologyOptions { File = good });
            Assert.Equal(4, g.EdgeCount);
            Assert.Equal(new[] { 0, 1, 3 }, g.Neighbors(2));

            string bad = Path.Combine(dir, "bad.edges");
            File.WriteAllText(bad, "0 1\n1 x\n");
            var e = Assert.Throws<InputException>(() => TopologyFactory.Create("file", 2, new TopologyOptions { File = bad }));
            Assert.Contains("bad.edges' line 2", e.Message);

            string split = Path.Combine(dir, "split.edges");
            File.WriteAllText(split, "0 1\n2 3\n");
            Assert.Contains("disconnected", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4, new TopologyOptions { File = split })).Message);
            Assert.Contains("has 4 nodes", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 5, new TopologyOptions { File = split })).Message);
            Assert.Contains("not found", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4, new TopologyOptions { File = Path.Combine(dir, "none") })).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static int Girth(Graph g)
    {
        int best = int.MaxValue;
        for (int s = 0; s < g.Nodes; s++)
        {
            var dist = Enumerable.Repeat(-1, g.Nodes).ToArray();
            var parent = new int[g.Nodes];
            var queue = new Queue<int>([s]);
            dist[s] = 0;
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                foreach (int v in g.Neighbors(u))
                {
                    if (dist[v] < 0) { dist[v] = dist[u] + 1; parent[v] = u; queue.Enqueue(v); }
                    else if (parent[u] != v) best = Math.Min(best, dist[u] + dist[v] + 1);
                }
            }
        }
        return best;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DecentralizedKD.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
