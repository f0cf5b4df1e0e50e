using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Schedules;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

/// <summary>
/// Time-varying schedules: pure functions of (settings, seed, round), rows that sum to 1, the shapes each kind
/// promises (regular degree, distinct random peers, the exponential hop), exact averaging of one-peer-exponential on
/// 2^k agents, the round-robin sequence, and one-line errors naming the key.
/// </summary>
public sealed class TopologyScheduleTests
{
    private static ScheduleContext Context(int agents, int degree = 2, int peers = 1, string sequence = "", ulong seed = 7, double gamma = 1.0) =>
        new(agents, () =>
        {
            var g = DeterministicGraphs.Ring(agents);
            return (g, MixingMatrix.Build(g, MixingKind.Uniform, gamma));
        }, MixingKind.Uniform, gamma, degree, peers, sequence, seed);

    private static ITopologySchedule Create(string name, ScheduleContext c) => ScheduleRegistry.Get(name).Create(c);

    public static TheoryData<string> TimeVarying => new() { "random-regular", "random-push", "one-peer-exponential" };

    [Theory]
    [MemberData(nameof(TimeVarying))]
    public void Two_independently_built_schedules_give_the_same_rows_and_recipients_in_every_round(string name)
    {
        // What two hosts (or a resumed run) compute without talking to each other.
        var a = Create(name, Context(16));
        var b = Create(name, Context(16));
        for (int round = 0; round < 40; round++)
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(a.Row(i, round), b.Row(i, round), RowComparer.Instance);
                Assert.Equal(a.Recipients(i, round), b.Recipients(i, round));
            }
        // Asking for rounds out of order (asynchronous agents) gives the same answers.
        Assert.Equal(a.Recipients(3, 5), Create(name, Context(16)).Recipients(3, 5));
    }

    [Theory]
    [MemberData(nameof(TimeVarying))]
    public void Rows_sum_to_one_and_senders_and_recipients_are_the_same_edges(string name)
    {
        var s = Create(name, Context(16, degree: 4, peers: 3, gamma: 0.8));
        for (int round = 0; round < 30; round++)
        {
            var sent = new HashSet<(int, int)>();
            var received = new HashSet<(int, int)>();
            for (int i = 0; i < 16; i++)
            {
                var row = s.Row(i, round);
                Assert.Equal(1.0, row.SelfWeight + row.Weights.Sum(), 12);
                Assert.All(row.Weights, w => Assert.True(w > 0));
                Assert.Equal(row.Neighbours.Order(), row.Neighbours);
                Assert.DoesNotContain(i, row.Neighbours);
                Assert.Equal(s.Recipients(i, round).Order(), s.Recipients(i, round));
                foreach (int j in s.Recipients(i, round)) sent.Add((i, j));
                foreach (int j in row.Neighbours) received.Add((j, i));
            }
            Assert.Equal(sent, received);
        }
    }

    [Fact]
    public void Random_regular_draws_a_fresh_connected_regular_graph_each_round()
    {
        var s = Create("random-regular", Context(16, degree: 3));
        var distinct = new HashSet<string>();
        for (int round = 0; round < 20; round++)
        {
            var edges = Enumerable.Range(0, 16).SelectMany(i => s.Recipients(i, round).Select(j => (i, j))).ToArray();
            Assert.All(Enumerable.Range(0, 16), i => Assert.Equal(3, s.Recipients(i, round).Count));
            Assert.True(new Graph(16, edges.Where(e => e.i < e.j)).IsConnected());
            // Uniform weights on a regular graph: symmetric and doubly stochastic.
            Assert.All(Enumerable.Range(0, 16), i => Assert.Equal(0.25, s.Row(i, round).SelfWeight, 12));
            distinct.Add(string.Join(";", edges));
        }
        Assert.True(distinct.Count >= 19, $"only {distinct.Count} distinct graphs in 20 rounds");
    }

    [Fact]
    public void Random_push_sends_to_distinct_other_agents_and_receivers_average_equally()
    {
        var s = Create("random-push", Context(10, peers: 3));
        var targets = new int[10];
        for (int round = 0; round < 200; round++)
            for (int i = 0; i < 10; i++)
            {
                var to = s.Recipients(i, round);
                Assert.Equal(3, to.Distinct().Count());
                Assert.DoesNotContain(i, to);
                foreach (int j in to) targets[j]++;
                var row = s.Row(i, round);
                Assert.All(row.Weights, w => Assert.Equal(1.0 / (row.Degree + 1), w, 15));
            }
        // Uniform over the others: each agent is picked 200·10·3/10 = 600 times in expectation.
        Assert.All(targets, t => Assert.InRange(t, 480, 720));
        // More peers than half the agents takes the shuffle path; still distinct and never self.
        var dense = Create("random-push", Context(10, peers: 8));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(8, dense.Recipients(i, 4).Except([i]).Distinct().Count()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public void One_peer_exponential_gossip_reaches_the_exact_mean_after_log2_n_rounds(int n)
    {
        var s = Create("one-peer-exponential", Context(n));
        int k = (int)Math.Log2(n);
        Assert.Equal(k, s.Period);
        var rng = new Rng(11);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.NextNormal()).ToArray()).ToArray();
        var mean = Enumerable.Range(0, 5).Select(c => x.Average(v => v[c])).ToArray();
        for (int round = 0; round < k; round++)
        {
            Assert.All(Enumerable.Range(0, n), i => Assert.Equal([(i + (1 << round)) % n], s.Recipients(i, round)));
            x = Gossip(s, x, round);
        }
        foreach (var v in x)
            for (int c = 0; c < 5; c++) Assert.Equal(mean[c], v[c], 12);
    }

    [Fact]
    public void One_peer_exponential_on_agents_not_a_power_of_two_keeps_the_mean_and_contracts()
    {
        var s = Create("one-peer-exponential", Context(12));
        Assert.Equal(4, s.Period);
        Assert.Equal([1, 2, 4, 8, 10, 11], s.PossiblePeers(0));
        var x = Enumerable.Range(0, 12).Select(i => new[] { (double)i * i }).ToArray();
        double mean = x.Average(v => v[0]), spread0 = x.Max(v => v[0]) - x.Min(v => v[0]);
        for (int round = 0; round < 40; round++) x = Gossip(s, x, round);
        Assert.Equal(mean, x.Average(v => v[0]), 9);   // every W_t is doubly stochastic
        Assert.True(x.Max(v => v[0]) - x.Min(v => v[0]) < 1e-3 * spread0);
    }

    [Fact]
    public void Sequence_uses_its_edge_lists_round_robin_relative_to_the_sequence_file()
    {
        string dir = Directory.CreateTempSubdirectory("dkd-sequence-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "0 1\n2 3\n");
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "sub", "b.txt"), "# nodes: 4\n0 2\n");
            string seq = Path.Combine(dir, "seq.txt");
            File.WriteAllText(seq, "# two graphs\na.txt\nsub/b.txt   # the second\n");
            var s = Create("sequence", Context(4, sequence: seq));
            Assert.Equal(2, s.Period);
            Assert.Equal([1], s.Recipients(0, 0));
            Assert.Equal([2], s.Recipients(0, 1));
            Assert.Equal([1], s.Recipients(0, 4));
            Assert.Empty(s.Recipients(1, 1));       // isolated in b: keeps its own parameters
            Assert.Equal(1.0, s.Row(1, 1).SelfWeight);
            Assert.Equal([1, 2], s.PossiblePeers(0));

            string Error(string path) => Assert.Throws<InputException>(() => Create("sequence", Context(4, sequence: path))).Message;
            Assert.Equal("experiment.topology.sequence-file: required when topology.schedule = sequence", Error(""));
            Assert.Equal($"experiment.topology.sequence-file: file '{dir}/none.txt' not found", Error($"{dir}/none.txt"));
            File.WriteAllText(seq, "a.txt\nmissing.txt\n");
            Assert.Equal($"experiment.topology.sequence-file: '{seq}' line 2: edge-list file 'missing.txt' not found", Error(seq));
            File.WriteAllText(seq, "# nothing\n");
            Assert.Equal($"experiment.topology.sequence-file: '{seq}' lists no edge-list files (one path per line)", Error(seq));
            File.WriteAllText(Path.Combine(dir, "c.txt"), "0 5\n");
            File.WriteAllText(seq, "c.txt\n");
            Assert.Equal("experiment.topology.sequence-file: edge-list file 'c.txt' has 6 nodes, expected experiment.agents = 4", Error(seq));
            File.WriteAllText(Path.Combine(dir, "d.txt"), "0 x\n");
            File.WriteAllText(seq, "d.txt\n");
            Assert.Contains("d.txt", Error(seq));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Impossible_settings_and_unknown_names_are_one_line_naming_the_key()
    {
        string Error(string name, ScheduleContext c) => Assert.Throws<InputException>(() => Create(name, c)).Message;
        Assert.Equal("experiment.topology.degree = 16: topology.schedule = random-regular on 16 agents needs 2 <= degree < agents and agents·degree even",
            Error("random-regular", Context(16, degree: 16)));
        Assert.Contains("agents·degree even", Error("random-regular", Context(15, degree: 3)));
        Assert.Equal("experiment.topology.peers = 16: topology.schedule = random-push on 16 agents needs 1 <= peers < agents",
            Error("random-push", Context(16, peers: 16)));
        Assert.Equal("experiment.topology.schedule = 'gossip': expected one of static | random-regular | random-push | one-peer-exponential | sequence",
            Error("gossip", Context(16)));
    }

    [Theory]
    [InlineData("static")]
    [InlineData("random-regular")]
    [InlineData("random-push")]
    [InlineData("one-peer-exponential")]
    public void A_descriptor_says_static_exactly_when_its_schedule_is(string name)
    {
        // Validation asks the descriptor (before anything is built); agents ask the built schedule: they must agree.
        var descriptor = ScheduleRegistry.Get(name);
        Assert.Equal(descriptor.IsStatic, descriptor.Create(Context(8)).IsStatic);
        Assert.Equal(name == "static", descriptor.IsStatic);
    }

    [Fact]
    public void Static_is_the_configured_graph_in_every_round()
    {
        var s = Create("static", Context(6));
        Assert.True(s.IsStatic);
        Assert.Same(s.Row(2, 0), s.Row(2, 99));
        Assert.Equal([1, 3], s.Recipients(2, 5));
        Assert.Equal(1.0 / 3, s.Row(2, 7).SelfWeight, 15);
    }

    /// <summary>One round of pure gossip: x_i ← w_ii x_i + Σ_j w_ij x_j.</summary>
    private static double[][] Gossip(ITopologySchedule s, double[][] x, int round) =>
        Enumerable.Range(0, x.Length).Select(i =>
        {
            var row = s.Row(i, round);
            var y = x[i].Select(v => row.SelfWeight * v).ToArray();
            for (int k = 0; k < row.Degree; k++)
                for (int c = 0; c < y.Length; c++) y[c] += row.Weights[k] * x[row.Neighbours[k]][c];
            return y;
        }).ToArray();

    private sealed class RowComparer : IEqualityComparer<MixingRow>
    {
        public static readonly RowComparer Instance = new();
        public bool Equals(MixingRow? a, MixingRow? b) =>
            a!.Self == b!.Self && a.SelfWeight == b.SelfWeight && a.Neighbours.SequenceEqual(b.Neighbours) && a.Weights.SequenceEqual(b.Weights);
        public int GetHashCode(MixingRow r) => r.Self;
    }
}
