using System.Text.Json;
using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class SpectralGapTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(101)]
    public void Ring_uniform_gap_equals_the_closed_form(int n)
    {
        // Eigenvalues 1/3 + 2/3·cos(2πk/n); the largest modulus below 1 is at k = 1 for n ≥ 3.
        double expected = 1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / n));
        var g = TopologyFactory.Create("ring", n);
        Assert.Equal(expected, TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform)), 9);
        Assert.Equal(expected, TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.MetropolisHastings)), 9);
    }

    [Fact]
    public void Ring_16_gap_is_the_value_the_papers_topology_has()
    {
        var w = MixingMatrix.Build(TopologyFactory.Create("ring", 16), MixingKind.Uniform);
        Assert.Equal(1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / 16)), TopologyChecks.SpectralGap(w), 12);
        Assert.InRange(TopologyChecks.SpectralGap(w), 0.0507469, 0.0507471);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void Full_graph_with_weights_one_over_n_mixes_in_one_step(int n)
    {
        var w = MixingMatrix.Build(TopologyFactory.Create("full", n), MixingKind.Uniform);
        Assert.Equal(1.0 / n, w.Weight(0, n - 1), 15);
        Assert.Equal(1.0, TopologyChecks.SpectralGap(w), 9);
        var moduli = TopologyChecks.EigenvalueModuli(w);
        Assert.Equal(1.0, moduli[0], 12);
        Assert.All(moduli.Skip(1), m => Assert.Equal(0.0, m, 9));
    }

    [Fact]
    public void Single_agent_gap_is_one()
    {
        Assert.Equal(1.0, TopologyChecks.SpectralGap(MixingMatrix.Build(TopologyFactory.Create("ring", 1), MixingKind.Uniform)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void Star_spectra_match_hand_computed_values(int leaves)
    {
        int k = leaves;
        var g = TopologyFactory.Create("star", k + 1);
        // Uniform (non-symmetric): leaf-difference vectors give 1/2 (k−1 times); the trace leaves
        // 1/(k+1) + k/2 − 1 − (k−1)/2 = 1/(k+1) − 1/2 for the last one.
        var uniform = TopologyChecks.EigenvalueModuli(MixingMatrix.Build(g, MixingKind.Uniform));
        var expectedUniform = new[] { 1.0 }.Concat(Enumerable.Repeat(0.5, k - 1)).Append(Math.Abs(1.0 / (k + 1) - 0.5)).OrderDescending();
        Assert.Equal(expectedUniform.Select(x => Math.Round(x, 9)), uniform.Select(x => Math.Round(x, 9)));
        // Metropolis–Hastings: every edge 1/(k+1), leaves keep k/(k+1): eigenvalues 1, k/(k+1) (k−1 times), 0.
        var mh = MixingMatrix.Build(g, MixingKind.MetropolisHastings);
        Assert.Equal(1.0 / (k + 1), TopologyChecks.SpectralGap(mh), 9);
        Assert.Equal(0.0, TopologyChecks.EigenvalueModuli(mh)[^1], 9);
    }

    [Fact]
    public void Averaging_rate_maps_every_eigenvalue_to_one_minus_gamma_plus_gamma_lambda()
    {
        var g = TopologyFactory.Create("dyck32", 32);
        var w = MixingMatrix.Build(g, MixingKind.Uniform);
        const double gamma = 0.9;
        var wg = MixingMatrix.Build(g, MixingKind.Uniform, gamma);
        var lambda = TorchReference.Symmetric(w.ToArray(), 32);
        var lambdaGamma = TorchReference.Symmetric(wg.ToArray(), 32);
        for (int i = 0; i < 32; i++)
            Assert.Equal(1 - gamma + gamma * lambda[i], lambdaGamma[i], 12);   // an increasing map keeps the order
        // Bipartite cubic graph with weights 1/4: the bottom eigenvalue is (1 − 3)/4 = −1/2, pulled up to 0.1 − 0.45.
        Assert.Equal(-0.5, lambda[0], 12);
        Assert.Equal(-0.35, lambdaGamma[0], 12);
    }

    [Fact]
    public void Averaging_rate_scales_the_ring_gap_by_gamma()
    {
        // For the ring λ₂ > 0 is the largest modulus below 1 both before and after, so gap_γ = γ·gap.
        var g = TopologyFactory.Create("ring", 16);
        double gap = TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform));
        foreach (double gamma in new[] { 0.9, 0.5, 0.1 })
            Assert.Equal(gamma * gap, TopologyChecks.SpectralGap(MixingMatrix.Build(g, MixingKind.Uniform, gamma)), 12);
    }

    [Fact]
    public void Disconnected_graphs_have_gap_zero()
    {
        var g = new Graph(6, [(0, 1), (1, 2), (3, 4), (4, 5)]);
        Assert.False(TopologyChecks.IsConnected(g));
        var w = MixingMatrix.Build(g, MixingKind.MetropolisHastings);
        Assert.Equal(0.0, TopologyChecks.SpectralGap(w), 12);
        var summary = TopologyChecks.Summarize(g, w);
        Assert.False(summary.Connected);
        Assert.True(summary.DoublyStochastic);
    }

    public static TheoryData<string, int, MixingKind> GapCases() => new()
    {
        { "social32", 32, MixingKind.MetropolisHastings },
        { "social32", 32, MixingKind.Uniform },     // non-symmetric, reversible
        { "dyck32", 32, MixingKind.Uniform },
        { "torus", 16, MixingKind.Uniform },
        { "circulant", 32, MixingKind.Uniform },
        { "exponential", 16, MixingKind.Uniform },
        { "erdos-renyi", 40, MixingKind.Uniform },
        { "erdos-renyi", 40, MixingKind.MetropolisHastings },
        { "star", 9, MixingKind.Uniform },
    };

    [Theory]
    [MemberData(nameof(GapCases))]
    public void Gap_agrees_with_torch_eigvals(string kind, int n, MixingKind mixing)
    {
        var g = TopologyFactory.Create(kind, n, new TopologyOptions { Seed = 11, Probability = 0.25 });
        var w = MixingMatrix.Build(g, mixing);
        var moduli = TopologyChecks.EigenvalueModuli(w);
        var reference = TorchReference.Moduli(w.ToArray(), n);
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], moduli[i], 9);
        double gap = TopologyChecks.SpectralGap(w);
        Assert.Equal(1 - reference[1], gap, 9);
        Assert.InRange(gap, 1e-3, 1.0);
        Assert.Equal(1.0, moduli[0], 10);   // the consensus direction
    }

    [Fact]
    public void Summary_of_social32_with_metropolis_hastings()
    {
        var g = TopologyFactory.Create("social32", 32);
        var w = MixingMatrix.Build(g, MixingKind.MetropolisHastings);
        var s = TopologyChecks.Summarize(g, w);
        Assert.Equal(32, s.Agents);
        Assert.Equal(89, s.Edges);
        Assert.Equal(2, s.MinDegree);
        Assert.Equal(14, s.MaxDegree);
        Assert.True(s.Connected);
        Assert.True(s.Symmetric);
        Assert.True(s.DoublyStochastic);
        Assert.Equal(1 - TorchReference.Moduli(w.ToArray(), 32)[1], s.SpectralGap!.Value, 9);

        var uniform = TopologyChecks.Summarize(g, MixingMatrix.Build(g, MixingKind.Uniform));
        Assert.False(uniform.Symmetric);
        Assert.False(uniform.DoublyStochastic);
    }

    [Fact]
    public void Summary_serialises_to_exactly_the_documented_camel_case_keys()
    {
        var g = TopologyFactory.Create("ring", 16);
        var s = TopologyChecks.Summarize(g, MixingMatrix.Build(g, MixingKind.Uniform));
        string json = JsonSerializer.Serialize(s, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(
            new[] { "agents", "edges", "minDegree", "maxDegree", "connected", "symmetric", "doublyStochastic", "spectralGap" },
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(16, doc.RootElement.GetProperty("edges").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("maxDegree").GetInt32());
    }

    [Fact]
    public void Fifty_thousand_agents_are_summarised_from_the_sparse_rows_without_a_spectrum()
    {
        // A dense 50,000² matrix would be 20 GB (and its index overflows an int): runs and checks use the rows only.
        var g = TopologyFactory.Create("ring", 50_000);
        var w = MixingMatrix.Build(g, MixingKind.Uniform);
        Assert.Equal(1.0 / 3, w.Weight(49_999, 0), 15);
        Assert.Equal(0, w.Weight(0, 2));
        Assert.Equal(1 - 2.0 / 3, w.SelfWeight(7), 15);
        var s = TopologyChecks.Summarize(g, w);
        Assert.Equal((50_000, 50_000, 2, 2), (s.Agents, s.Edges, s.MinDegree, s.MaxDegree));
        Assert.True(s.Connected && s.Symmetric && s.DoublyStochastic);
        Assert.Null(s.SpectralGap);
        Assert.Throws<InvalidOperationException>(() => w.ToArray());
    }

    [Fact]
    public void Sparse_checks_agree_with_the_dense_matrix_on_a_non_symmetric_one()
    {
        // Uniform weights on an irregular graph: rows sum to 1, columns do not, W is not symmetric.
        var g = TopologyFactory.Create("social32", 32);
        var w = MixingMatrix.Build(g, MixingKind.Uniform);
        var dense = MixingMatrix.FromDense(To2D(w.ToArray(), 32));
        Assert.False(TopologyChecks.IsSymmetric(w));
        Assert.True(TopologyChecks.IsRowStochastic(w));
        Assert.False(TopologyChecks.IsDoublyStochastic(w));
        Assert.Equal(TopologyChecks.Summarize(g, dense), TopologyChecks.Summarize(g, w));
    }

    private static double[,] To2D(double[] a, int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = a[i * n + j];
        return m;
    }
}
