using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;
using Xunit;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Tests.Algorithms;

public sealed class GossipAlgorithmTests
{
    private const int Dim = 7;

    private static float[][] Centers(int n) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, Dim).Select(k => (float)Math.Sin(3 * i + k) * 4).ToArray()).ToArray();

    private static MixingRow FullRow(int i, int n) =>
        new(i, 1.0 / n, Enumerable.Range(0, n).Where(j => j != i).ToList(), Enumerable.Repeat(1.0 / n, n - 1).ToList());

    private static MixingRow RingRow(int i, int n) =>
        new(i, 1.0 / 3, new[] { (i + n - 1) % n, (i + 1) % n }.Order().ToList(), [1.0 / 3, 1.0 / 3]);

    /// <summary>Runs the synchronous protocol in-process: LocalWork, exchange, Combine.</summary>
    private static void Round(IReadOnlyList<IAgentAlgorithm> agents, IReadOnlyList<MixingRow> rows, int r)
    {
        foreach (var a in agents) a.LocalWork(r);
        var sent = agents.Select((a, i) => rows[i].Neighbours.Select(j => a.Outgoing(r, 0, j)).ToList()).ToList();
        for (int i = 0; i < agents.Count; i++)
            foreach (var j in rows[i].Neighbours)
                agents[i].Receive(sent[j][rows[j].Neighbours.ToList().IndexOf(i)]!);
        foreach (var a in agents) a.Combine(r, 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dpsgd_on_a_full_graph_equals_centralised_momentum_sgd_on_the_union_of_batches(bool nesterov)
    {
        int n = 5;
        var centers = Centers(n);
        var start = Enumerable.Range(0, Dim).Select(k => (float)k).ToArray();
        var sgd = new SgdSettings(0.9, nesterov, 1e-3);
        var lr = new LearningRateSchedule(0.05);
        var sources = Enumerable.Range(0, n).Select(i => new QuadraticSource(centers[i], start, (ulong)i)).ToList();
        var rows = Enumerable.Range(0, n).Select(i => FullRow(i, n)).ToList();
        var agents = sources.Select((s, i) => (IAgentAlgorithm)new Dpsgd(s, rows[i], sgd, lr)).ToList();

        // Centralised reference in double: gradient = mean of the agents' minibatch gradients at the common x.
        var x = start.Select(v => (double)v).ToArray();
        var m = new double[Dim];
        for (int r = 0; r < 60; r++)
        {
            Round(agents, rows, r);
            for (int k = 0; k < Dim; k++)
            {
                double g = 0;
                for (int i = 0; i < n; i++) g += x[k] - centers[i][k] + sources[i].LastNoise[k];
                g = g / n + 1e-3 * x[k];
                m[k] = 0.9 * m[k] + g;
                double d = nesterov ? g + 0.9 * m[k] : m[k];
                x[k] -= 0.05 * d;
            }
        }
        foreach (var a in agents)
            for (int k = 0; k < Dim; k++) Assert.Equal(x[k], a.Parameters[k], 4);
        // And it actually converged towards the mean of the centres (not a vacuous comparison).
        for (int k = 0; k < Dim; k++)
            Assert.InRange(Math.Abs(x[k] - centers.Average(c => c[k])), 0, 0.3);
    }

    [Fact]
    public void Qgm_ema_heavy_ball_matches_the_reference_update_rule()
    {
        // The reference update: d = g + βm; x½ = x − ηd; x' = Wx½; m ← βm + (1−β)(x − x')/η.
        int n = 4;
        var centers = Centers(n);
        var start = new float[Dim];
        var sgd = new SgdSettings(0.9, false, 0);
        var lr = new LearningRateSchedule(0.1);
        var sources = Enumerable.Range(0, n).Select(i => new QuadraticSource(centers[i], start, (ulong)(10 + i))).ToList();
        var rows = Enumerable.Range(0, n).Select(i => RingRow(i, n)).ToList();
        var agents = sources.Select((s, i) => new Qgm(s, rows[i], sgd, lr)).ToList();

        var x = Enumerable.Range(0, n).Select(_ => new double[Dim]).ToArray();
        var m = Enumerable.Range(0, n).Select(_ => new double[Dim]).ToArray();
        for (int r = 0; r < 30; r++)
        {
            Round(agents, rows, r);
            var half = new double[n][];
            for (int i = 0; i < n; i++)
            {
                half[i] = new double[Dim];
                for (int k = 0; k < Dim; k++)
                {
                    double g = x[i][k] - centers[i][k] + sources[i].LastNoise[k];
                    half[i][k] = x[i][k] - 0.1 * (g + 0.9 * m[i][k]);
                }
            }
            for (int i = 0; i < n; i++)
                for (int k = 0; k < Dim; k++)
                {
                    double mixed = (half[i][k] + half[(i + 1) % n][k] + half[(i + n - 1) % n][k]) / 3;
                    m[i][k] = 0.9 * m[i][k] + 0.1 * (x[i][k] - mixed) / 0.1;
                    x[i][k] = mixed;
                }
        }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < Dim; k++)
            {
                Assert.Equal(x[i][k], agents[i].Parameters[k], 3);
                Assert.Equal(m[i][k], agents[i].Buffer[k], 3);
            }
    }

    [Fact]
    public void Qgm_ccl_variant_corrects_its_buffer_by_the_gossip_displacement()
    {
        var start = new float[Dim];
        var source = new QuadraticSource(Centers(1)[0], start, 3, noise: 0);
        var row = new MixingRow(0, 0.5, [1], [0.5]);
        var qgm = new Qgm(source, row, new SgdSettings(0.9, true, 0), new LearningRateSchedule(0.1), variant: QgmVariant.Ccl);
        qgm.LocalWork(0);
        var afterStep = qgm.Parameters.ToArray();
        var bufferBefore = qgm.Buffer.ToArray();
        var neighbour = Enumerable.Range(0, Dim).Select(k => (float)k).ToArray();
        qgm.Receive(new ParameterPayload(0, 1, neighbour));
        qgm.Combine(0, 0);
        for (int k = 0; k < Dim; k++)
        {
            float mixed = 0.5f * afterStep[k] + 0.5f * neighbour[k];
            Assert.Equal(mixed, qgm.Parameters[k], 5);
            Assert.Equal(bufferBefore[k] - (mixed - afterStep[k]) / 0.1f, qgm.Buffer[k], 4);
        }
    }

    [Fact]
    public void Dpsgd_shares_one_snapshot_per_round_and_it_does_not_change_when_training_continues()
    {
        var source = new QuadraticSource(Centers(1)[0], new float[Dim], 1);
        var d = new Dpsgd(source, RingRow(0, 3), new SgdSettings(), new LearningRateSchedule(0.1));
        d.LocalWork(0);
        var p1 = (ParameterPayload)d.Outgoing(0, 0, 1)!;
        var p2 = (ParameterPayload)d.Outgoing(0, 0, 2)!;
        Assert.Same(p1, p2);
        Assert.Equal(4L * Dim, p1.Bytes);
        var copy = p1.Parameters.ToArray();
        d.LocalWork(1);
        Assert.Equal(copy, p1.Parameters);
    }

    [Fact]
    public void Combine_without_every_neighbour_payload_fails_loudly()
    {
        var d = new Dpsgd(new QuadraticSource(Centers(1)[0], new float[Dim], 1), RingRow(0, 3), new SgdSettings(), new LearningRateSchedule(0.1));
        d.LocalWork(0);
        d.Receive(new ParameterPayload(0, 1, new float[Dim]));
        Assert.Contains("no parameters from neighbour 2", Assert.Throws<InvalidOperationException>(() => d.Combine(0, 0)).Message);
    }

    [Fact]
    public void Learning_rate_schedules_follow_their_definitions()
    {
        var step = new LearningRateSchedule(0.1, ScheduleKind.Step, [10, 20], 0.1);
        Assert.Equal(0.1, step.At(9), 12);
        Assert.Equal(0.01, step.At(10), 12);
        Assert.Equal(0.001, step.At(25), 12);
        var cosine = new LearningRateSchedule(1.0, ScheduleKind.Cosine, TotalRounds: 100);
        Assert.Equal(1.0, cosine.At(0), 12);
        Assert.Equal(0.5, cosine.At(50), 12);
        Assert.Equal(0.0, cosine.At(100), 12);
        var warm = new LearningRateSchedule(0.8, WarmupRounds: 4, WarmupFrom: 0.125);
        Assert.Equal(0.1 + 0.7 * 1 / 4, warm.At(0), 12);
        Assert.Equal(0.8, warm.At(3), 12);
        Assert.Equal(0.8, warm.At(50), 12);
    }
}
