using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>CHOCO-SGD and partial model sharing on closed-form objectives: their update rules, invariants and reductions.</summary>
public sealed class CompressedGossipTests
{
    private const int Dim = 40, Agents = 5;
    private static readonly SgdSettings Sgd = new(0.9, false, 1e-3);
    private static readonly LearningRateSchedule Lr = new(0.05);

    private static float[] Center(int i) => Enumerable.Range(0, Dim).Select(k => (float)Math.Sin(3 * i + k) * 4).ToArray();

    private static readonly float[] Start = Enumerable.Range(0, Dim).Select(k => (float)Math.Cos(k)).ToArray();

    private static MixingRow RingRow(int i) =>
        new(i, 1.0 / 3, new[] { (i + Agents - 1) % Agents, (i + 1) % Agents }.Order().ToList(), [1.0 / 3, 1.0 / 3]);

    private static ICompressor Compressor(string name, double ratio = 0.1, int levels = 16) =>
        CompressorRegistry.Create(name, new CompressorSettings(ratio, levels, 7));

    private static Choco[] ChocoAgents(string compressor, double gamma, double ratio = 0.1) =>
        Enumerable.Range(0, Agents).Select(i => new Choco(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), Sgd, Lr, 1,
            Compressor(compressor, ratio), gamma)).ToArray();

    /// <summary>The synchronous protocol in-process; <paramref name="lost"/> (sender, receiver, round) drops a message.</summary>
    private static void Rounds(IReadOnlyList<IAgentAlgorithm> agents, int from, int to, Func<int, int, int, bool>? lost = null)
    {
        for (int r = from; r < to; r++)
        {
            foreach (var a in agents) a.LocalWork(r);
            var sent = agents.Select((a, i) => RingRow(i).Neighbours.ToDictionary(j => j, j => a.Outgoing(r, 0, j)!)).ToArray();
            for (int i = 0; i < agents.Count; i++)
                foreach (int j in RingRow(i).Neighbours)
                    if (lost is null || !lost(j, i, r)) agents[i].Receive(sent[j][i]);
            foreach (var a in agents) a.Combine(r, 0);
        }
    }

    [Fact]
    public void Choco_without_compression_and_gamma_one_is_d_psgd()
    {
        var choco = ChocoAgents("none", gamma: 1);
        var dpsgd = Enumerable.Range(0, Agents).Select(i => new Dpsgd(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), Sgd, Lr)).ToArray();
        Rounds(choco, 0, 50);
        Rounds(dpsgd, 0, 50);
        for (int i = 0; i < Agents; i++)
        for (int k = 0; k < Dim; k++)
            Assert.Equal(dpsgd[i].Parameters[k], choco[i].Parameters[k], 1e-4);
    }

    [Theory]
    [InlineData("top-k")]
    [InlineData("random-k")]
    [InlineData("qsgd")]
    [InlineData("sign")]
    public void Every_copy_of_a_public_model_equals_its_owners_bit_for_bit_and_the_agents_reach_the_optimum(string compressor)
    {
        var agents = ChocoAgents(compressor, gamma: 0.2, ratio: 0.2);
        Rounds(agents, 0, 400);
        for (int i = 0; i < Agents; i++)
        {
            foreach (int j in RingRow(i).Neighbours)
                Assert.Equal(agents[j].PublicCopy.ToArray(), agents[i].CopyOf(j).ToArray());
            Assert.Equal(0, agents[i].MissedUpdates);
        }
        // The consensus step moves no mass (W is symmetric), so on these quadratics the agents' mean follows centralised
        // momentum SGD to the minimiser of Σ_i ½‖x − c_i‖², the mean of the centres (shrunk a little by weight decay)...
        var optimum = Enumerable.Range(0, Dim).Select(k => Enumerable.Range(0, Agents).Average(i => Center(i)[k]) / (1 + 1e-3)).ToArray();
        var mean = Enumerable.Range(0, Dim).Select(k => agents.Average(a => a.Parameters[k])).ToArray();
        for (int k = 0; k < Dim; k++) Assert.Equal(optimum[k], mean[k], 0.05);
        // ...and the compressed gossip pulls the agents together: without it each would sit at its own centre.
        double spread = agents.Sum(a => FlatMath.SquaredDistance(a.Parameters, mean.Select(m => (float)m).ToArray()));
        double centres = Enumerable.Range(0, Agents).Sum(i => FlatMath.SquaredDistance(Center(i), optimum.Select(m => (float)(m * (1 + 1e-3))).ToArray()));
        Assert.InRange(spread, 0, 0.5 * centres);
    }

    [Fact]
    public void A_lost_q_leaves_the_receivers_copy_short_for_good_and_is_counted_once_a_later_one_arrives()
    {
        var agents = ChocoAgents("top-k", gamma: 0.2);
        // Agent 1's q of round 3 never reaches agent 2; everything else arrives.
        Rounds(agents, 0, 10, lost: (from, to, r) => from == 1 && to == 2 && r == 3);
        Assert.Equal(1, agents[2].MissedUpdates);
        Assert.Equal(0, agents[0].MissedUpdates);
        Assert.NotEqual(agents[1].PublicCopy.ToArray(), agents[2].CopyOf(1).ToArray());
        Assert.Equal(agents[1].PublicCopy.ToArray(), agents[0].CopyOf(1).ToArray());
    }

    [Fact]
    public void A_late_q_is_added_when_it_arrives_and_the_copies_agree_again()
    {
        var agents = ChocoAgents("top-k", gamma: 0.2);
        Payload? held = null;
        for (int r = 0; r < 6; r++)
        {
            foreach (var a in agents) a.LocalWork(r);
            var sent = agents.Select((a, i) => a.Outgoing(r, 0, RingRow(i).Neighbours[0])!).ToArray();
            for (int i = 0; i < Agents; i++)
                foreach (int j in RingRow(i).Neighbours)
                {
                    if (j == 1 && i == 2 && r == 2) { held = sent[j]; continue; }   // delayed by two rounds
                    agents[i].Receive(sent[j]);
                }
            if (r == 4) agents[2].Receive(held!);
            foreach (var a in agents) a.Combine(r, 0);
        }
        Assert.Equal(0, agents[2].MissedUpdates);
        // Float addition is not associative, so the copy that took q₂ after q₃ and q₄ agrees only up to rounding.
        var own = agents[1].PublicCopy.ToArray();
        var copy = agents[2].CopyOf(1).ToArray();
        for (int k = 0; k < Dim; k++) Assert.Equal(own[k], copy[k], 1e-5);
    }

    private static SparseDpsgd[] SparseAgents(string compressor, double ratio) =>
        Enumerable.Range(0, Agents).Select(i => new SparseDpsgd(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), Sgd, Lr, 1,
            (ISparseCompressor)Compressor(compressor, ratio))).ToArray();

    [Fact]
    public void Sparse_dpsgd_sharing_every_coordinate_is_d_psgd()
    {
        var sparse = SparseAgents("top-k", ratio: 1);
        var dpsgd = Enumerable.Range(0, Agents).Select(i => new Dpsgd(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), Sgd, Lr)).ToArray();
        Rounds(sparse, 0, 50);
        Rounds(dpsgd, 0, 50);
        for (int i = 0; i < Agents; i++)
        for (int k = 0; k < Dim; k++)
            Assert.Equal(dpsgd[i].Parameters[k], sparse[i].Parameters[k], 1e-4);
    }

    /// <summary>Parameters set from outside (no gradient): the tests below move them by hand between rounds.</summary>
    private sealed class Held(float[] x) : IGradientSource
    {
        private readonly float[] _g = new float[x.Length];
        public Span<float> Parameters => x;
        public Span<float> Gradients => _g;
        public double ComputeGradient() { _g.AsSpan().Clear(); return 0; }
        public void Dispose() { }
    }

    [Fact]
    public void Sparse_dpsgd_top_k_sends_the_coordinates_that_changed_most_since_they_were_last_sent()
    {
        var x = new float[6];
        var row = new MixingRow(0, 0.5, [1], [0.5]);
        var agent = new SparseDpsgd(new Held(x), row, new SgdSettings(0, false, 0), Lr, 1, (ISparseCompressor)Compressor("top-k", ratio: 2.0 / 6));
        float[] Sent(int round)
        {
            agent.LocalWork(round);
            var view = (CompressedVector)agent.Outgoing(round, 0, 1)!;
            agent.Receive(view with { Sender = 1 });   // the neighbour echoes it: nothing moves
            agent.Combine(round, 0);
            return [.. view.Indices.Select(i => (float)i), .. view.Values];
        }
        float[] changed = [5, 0, 0, 4, 0, 1];
        changed.CopyTo(x, 0);
        Assert.Equal([0f, 3f, 5f, 4f], Sent(0));
        // Coordinate 5 changed by 1 a round ago and was not sent; now 2 changes by 0.5 and 0 by 0.25 beyond what was sent.
        x[2] = 0.5f;
        x[0] = 5.25f;
        Assert.Equal([2f, 5f, 0.5f, 1f], Sent(1));
        // Only coordinate 0 now differs from what was last sent; the others tie at 0 and the lowest, 1, fills the second place.
        Assert.Equal([0f, 1f, 5.25f, 0f], Sent(2));
    }

    [Fact]
    public void Sparse_dpsgd_averages_each_coordinate_with_the_neighbours_that_sent_it()
    {
        float[] mine = [1, 1, 1, 1];
        var row = new MixingRow(0, 0.5, [1, 2], [0.25, 0.25]);
        var agent = new SparseDpsgd(new Held(mine), row, new SgdSettings(0, false, 0), Lr, 1, (ISparseCompressor)Compressor("top-k", ratio: 0.5));
        agent.LocalWork(0);
        // Neighbour 1 sent coordinates 0 and 1, neighbour 2 coordinates 1 and 3.
        agent.Receive(new CompressedVector(0, 1, 1, 4, 2, [0, 1], [5, 9], []));
        agent.Receive(new CompressedVector(0, 2, 1, 4, 2, [1, 3], [-3, 3], []));
        agent.Combine(0, 0);
        // c0: 1 + ¼(5 − 1); c1: 1 + ¼(9 − 1) + ¼(−3 − 1); c2: nobody sent it; c3: 1 + ¼(3 − 1).
        Assert.Equal([2f, 2f, 1f, 1.5f], agent.Parameters.ToArray());
    }
}
