using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Schedules;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

/// <summary>
/// E[W] of the time-varying schedules: the closed forms of random-regular and random-push against long Monte-Carlo
/// averages of the rounds the engine draws (each entry within 5 standard errors of its sample mean), hand-computed gaps,
/// the exact mean over one period of the periodic schedules, and the exact/estimate label of the summary.
/// </summary>
public sealed class ExpectedMixingTests
{
    private const int MonteCarloRounds = 3000;

    private static ScheduleContext Context(int agents, MixingKind mixing = MixingKind.Uniform, int degree = 2, int peers = 1, double gamma = 1.0, ulong seed = 11) =>
        new(agents, () =>
        {
            var g = DeterministicGraphs.Ring(agents);
            return (g, MixingMatrix.Build(g, mixing, gamma));
        }, mixing, gamma, degree, peers, "", seed);

    private static ITopologySchedule Create(string name, ScheduleContext c) => ScheduleRegistry.Get(name).Create(c);

    /// <summary>Every entry of the exact E[W] within 5 standard errors of the mean of W over the first R rounds (and 1e-12 for entries that never vary).</summary>
    private static void AgreesWithMonteCarlo(ITopologySchedule s, ExchangeableMixing exact)
    {
        int n = s.Agents;
        var sum = new double[n, n];
        var squares = new double[n, n];
        for (int r = 0; r < MonteCarloRounds; r++)
        {
            var w = MixingRows.Dense(Enumerable.Range(0, n).Select(i => s.Row(i, r)).ToArray());
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) { sum[i, j] += w[i, j]; squares[i, j] += w[i, j] * w[i, j]; }
        }
        var expected = exact.Dense();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double mean = sum[i, j] / MonteCarloRounds;
                double sd = Math.Sqrt(Math.Max(0, squares[i, j] / MonteCarloRounds - mean * mean));
                double tolerance = 5 * sd / Math.Sqrt(MonteCarloRounds) + 1e-12;
                Assert.True(Math.Abs(mean - expected[i, j]) <= tolerance,
                    $"E[W]({i},{j}) = {expected[i, j]}, Monte-Carlo mean {mean} over {MonteCarloRounds} rounds (tolerance {tolerance})");
            }
    }

    [Theory]
    [InlineData(10, 3, MixingKind.Uniform, 1.0)]
    [InlineData(10, 3, MixingKind.MetropolisHastings, 0.5)]
    [InlineData(12, 2, MixingKind.Uniform, 1.0)]
    public void Random_regular_mean_matrix_is_the_closed_form(int agents, int degree, MixingKind mixing, double gamma)
    {
        var s = Create("random-regular", Context(agents, mixing, degree: degree, gamma: gamma));
        var exact = ((IExchangeableSchedule)s).ExpectedMixing();
        // Each of the n − 1 possible neighbours with probability d/(n − 1), weight γ/(d + 1); the diagonal never varies.
        Assert.Equal(gamma * degree / ((degree + 1.0) * (agents - 1)), exact.OffDiagonal, 15);
        Assert.Equal(1 - gamma * degree / (degree + 1.0), exact.Diagonal, 15);
        AgreesWithMonteCarlo(s, exact);
    }

    [Theory]
    [InlineData(8, 1, 1.0)]
    [InlineData(8, 3, 1.0)]
    [InlineData(9, 2, 0.5)]
    public void Random_push_mean_matrix_is_the_closed_form_over_the_binomial_in_degree(int agents, int peers, double gamma)
    {
        var s = Create("random-push", Context(agents, peers: peers, gamma: gamma));
        var exact = ((IExchangeableSchedule)s).ExpectedMixing();
        // E[w_ii] = 1 − γ·E[D/(D + 1)], summed term by term over D ~ Binomial(n − 1, peers/(n − 1)).
        int m = agents - 1;
        double p = (double)peers / m, expectedShare = 0;
        for (int d = 0; d <= m; d++) expectedShare += Binomial(m, d) * Math.Pow(p, d) * Math.Pow(1 - p, m - d) * d / (d + 1.0);
        Assert.Equal(1 - gamma * expectedShare, exact.Diagonal, 12);
        AgreesWithMonteCarlo(s, exact);
    }

    private static double Binomial(int n, int k)
    {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    [Fact]
    public void Random_regular_2_on_16_agents_has_gap_32_over_45()
    {
        // b = 2/(3·15): the non-constant eigenvalue is 1 − 16b = 13/45, so the gap is 32/45 ≈ 0.711 (a 100-round sample said 0.63).
        var summary = ScheduleSummary.Of("random-regular", Create("random-regular", Context(16, degree: 2)), 100);
        Assert.Equal(32.0 / 45.0, summary.ExpectedMixingSpectralGap!.Value, 12);
        Assert.True(summary.ExpectedMixingExact);
        Assert.Null(summary.ExpectedMixingEstimateRounds);
        // The closed form's gap is the eigenvalue solver's gap of the same matrix.
        var exact = ((IExchangeableSchedule)Create("random-regular", Context(16, degree: 2))).ExpectedMixing();
        Assert.Equal(TopologyChecks.SpectralGap(MixingMatrix.FromDense(exact.Dense())), exact.SpectralGap, 9);
    }

    [Fact]
    public void A_periodic_schedule_reports_the_mean_over_one_period_whatever_the_rounds()
    {
        var s = Create("one-peer-exponential", Context(16));
        var onePeriod = ScheduleSummary.Of("one-peer-exponential", s, 4);
        var offPeriod = ScheduleSummary.Of("one-peer-exponential", s, 5);   // five rounds would count hop 1 twice
        Assert.True(offPeriod.ExpectedMixingExact);
        Assert.Null(offPeriod.ExpectedMixingEstimateRounds);
        Assert.Equal(onePeriod.ExpectedMixingSpectralGap!.Value, offPeriod.ExpectedMixingSpectralGap!.Value, 15);
        // (1/2) I + (1/8) Σ_k P^(−2^k): eigenvalues 1/2 + (1/8) Σ_k ω^(−2^k·j); the smallest gap comes at j = ±1.
        double largest = 0;
        for (int j = 1; j < 16; j++)
        {
            double re = 0.5, im = 0;
            for (int k = 0; k < 4; k++) { double a = -2 * Math.PI * j * (1 << k) / 16; re += Math.Cos(a) / 8; im += Math.Sin(a) / 8; }
            largest = Math.Max(largest, Math.Sqrt(re * re + im * im));
        }
        Assert.Equal(1 - largest, onePeriod.ExpectedMixingSpectralGap!.Value, 9);
    }

    /// <summary>A random schedule the summary knows nothing about (a plug-in): random-push's rounds, without its closed form.</summary>
    private sealed class OpaqueSchedule(ITopologySchedule inner) : ITopologySchedule
    {
        public int Agents => inner.Agents;
        public bool IsStatic => false;
        public int Period => 0;
        public MixingRow Row(int agent, int round) => inner.Row(agent, round);
        public IReadOnlyList<int> Recipients(int agent, int round) => inner.Recipients(agent, round);
        public IReadOnlyList<int> PossiblePeers(int agent) => inner.PossiblePeers(agent);
    }

    [Fact]
    public void A_random_schedule_without_a_closed_form_gets_an_estimate_labelled_with_its_rounds()
    {
        var pushed = Create("random-push", Context(8, peers: 2));
        var summary = ScheduleSummary.Of("opaque", new OpaqueSchedule(pushed), 200);
        Assert.False(summary.ExpectedMixingExact);
        Assert.Equal(200, summary.ExpectedMixingEstimateRounds);
        // An estimate of the same E[W] whose closed form random-push knows: close, not equal.
        double exact = ((IExchangeableSchedule)pushed).ExpectedMixing().SpectralGap;
        Assert.InRange(summary.ExpectedMixingSpectralGap!.Value, exact - 0.1, exact + 0.1);
        Assert.NotEqual(exact, summary.ExpectedMixingSpectralGap!.Value);
    }
}
