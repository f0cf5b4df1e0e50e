using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Simulation;
using Xunit;

namespace DecentralizedKD.Core.Tests.Simulation;

public sealed class SimulationTests
{
    [Fact]
    public void Latency_distributions_have_their_documented_centre_and_minimum()
    {
        var rng = new Rng(1);
        double Median(LatencyDistribution d) { var s = Enumerable.Range(0, 20001).Select(_ => d.Sample(rng)).Order().ToArray(); return s[10000]; }
        double Mean(LatencyDistribution d) => Enumerable.Range(0, 20000).Average(_ => d.Sample(rng));
        Assert.Equal(0.010, Median(new LatencyDistribution.Constant(0.010)), 12);
        Assert.InRange(Median(new LatencyDistribution.LogNormal(0.020, 0.5)), 0.0193, 0.0207);
        Assert.InRange(Mean(new LatencyDistribution.Exponential(0.030)), 0.0290, 0.0310);
        var uniform = new LatencyDistribution.Uniform(0.005, 0.015);
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.InRange(uniform.Sample(rng), 0.005, 0.015));
        Assert.Equal(0.005, uniform.Minimum);
        Assert.Equal(0, new LatencyDistribution.LogNormal(0.02, 0.5).Minimum);
        Assert.Throws<InputException>(() => LatencyDistribution.Create(LatencyKind.Uniform, 0, 0.02, 0.01, 0, 0, 0));
        Assert.False(LatencyDistribution.Kinds.TryParse("pareto", out _));
    }

    [Fact]
    public void Link_delivery_adds_latency_and_transfer_time()
    {
        var link = new LinkModel(new LatencyDistribution.Constant(0.010), 1e6, 0, 7);
        Assert.Equal(2.0 + 0.010 + 0.25, link.Deliver(0, 1, 2.0, 250_000)!.Value, 12);
        Assert.Equal(0.010, link.MinimumLatency);
    }

    [Fact]
    public void Drop_rate_over_many_messages_is_within_a_binomial_confidence_band()
    {
        const double p = 0.2;
        const int n = 20_000;
        var link = new LinkModel(new LatencyDistribution.Constant(0.001), 1e9, p, 11);
        int dropped = 0;
        for (int k = 0; k < n; k++)
            if (link.Deliver(k % 7, (k + 1) % 7, k, 100) is null) dropped++;
        double sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(dropped, n * p - 4 * sd, n * p + 4 * sd);
    }

    [Fact]
    public void Each_link_has_its_own_stream_so_traffic_elsewhere_does_not_shift_it()
    {
        var lognormal = new LatencyDistribution.LogNormal(0.02, 0.5);
        var a = new LinkModel(lognormal, 1e9, 0.1, 3);
        var b = new LinkModel(lognormal, 1e9, 0.1, 3);
        var first = Enumerable.Range(0, 50).Select(k => a.Deliver(0, 1, k, 10)).ToArray();
        var interleaved = Enumerable.Range(0, 50).Select(k => { b.Deliver(2, 3, k, 10); b.Deliver(1, 0, k, 10); return b.Deliver(0, 1, k, 10); }).ToArray();
        Assert.Equal(first, interleaved);
    }

    [Fact]
    public void Stragglers_are_an_exact_seeded_fraction()
    {
        var c = new ComputeModel(16, 0.020, 0.25, 4.0, 5);
        Assert.Equal(4, c.Stragglers.Count);
        Assert.Equal(c.Stragglers, new ComputeModel(16, 0.020, 0.25, 4.0, 5).Stragglers);
        Assert.All(Enumerable.Range(0, 16), i => Assert.Equal(c.Stragglers.Contains(i) ? 0.080 : 0.020, c.StepSeconds(i), 12));
        Assert.Throws<InputException>(() => new ComputeModel(4, 0.02, 0.5, 0.5, 1));
    }

    [Fact]
    public void Events_are_ordered_by_time_then_sender_then_sequence()
    {
        var q = new EventQueue<string>();
        q.Enqueue(new(1.0, 2, 0, "c"));
        q.Enqueue(new(0.5, 9, 3, "a"));
        q.Enqueue(new(1.0, 1, 5, "b2"));
        q.Enqueue(new(1.0, 1, 4, "b1"));
        q.Enqueue(new(2.0, 0, 0, "late"));
        var order = new List<string>();
        while (q.TryDequeueBefore(2.0, out var e)) order.Add(e.Item);
        Assert.Equal(new[] { "a", "b1", "b2", "c" }, order);
        Assert.Equal(1, q.Count); // the event at t = 2.0 is outside the window [.., 2.0)
    }

    [Fact]
    public void Bernoulli_churn_is_seeded_per_agent_and_period_and_transitions_are_consistent()
    {
        var churn = new ChurnSchedule.Bernoulli(0.3, 1.0, 9);
        int offline = 0;
        for (int k = 0; k < 2000; k++) if (!churn.IsOnline(3, k + 0.5)) offline++;
        Assert.InRange(offline, 2000 * 0.3 - 4 * Math.Sqrt(2000 * 0.21), 2000 * 0.3 + 4 * Math.Sqrt(2000 * 0.21));
        double t = 0.25;
        for (int step = 0; step < 20; step++)
        {
            double next = churn.NextTransition(3, t);
            Assert.Equal(churn.IsOnline(3, t), churn.IsOnline(3, next - 1e-9));
            Assert.NotEqual(churn.IsOnline(3, t), churn.IsOnline(3, next));
            t = next;
        }
    }

    [Fact]
    public void Bernoulli_transitions_always_move_forward_even_where_division_rounds_down()
    {
        // 0.48 / 0.06 = 7.999…: the transition at 0.48 must belong to period 8, or the next one is 0.48 again (a hang).
        var churn = new ChurnSchedule.Bernoulli(0.15, 0.06, 3);
        for (int agent = 0; agent < 8; agent++)
        {
            double t = 0;
            for (int step = 0; step < 200; step++)
            {
                double next = churn.NextTransition(agent, t);
                Assert.True(next > t, $"agent {agent}: transition {next:R} after {t:R}");
                Assert.NotEqual(churn.IsOnline(agent, t), churn.IsOnline(agent, next));
                t = next;
            }
        }
    }

    [Fact]
    public void Churn_schedule_files_give_offline_intervals()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# agent from to\n2 1.0 3.5\n2 5 6\n0 0 0.5\n");
            var s = ChurnSchedule.Intervals.ReadFile(path, 4);
            Assert.True(s.IsOnline(2, 0.99));
            Assert.False(s.IsOnline(2, 1.0));
            Assert.True(s.IsOnline(2, 3.5));
            Assert.Equal(5.0, s.NextTransition(2, 3.5));
            Assert.False(s.IsOnline(0, 0.1));
            Assert.True(s.IsOnline(1, 2));
            File.WriteAllText(path, "2 1.0\n");
            Assert.Contains("line 1", Assert.Throws<InputException>(() => ChurnSchedule.Intervals.ReadFile(path, 4)).Message);
            File.WriteAllText(path, "9 1 2\n");
            Assert.Contains("agent 9 outside 0..3", Assert.Throws<InputException>(() => ChurnSchedule.Intervals.ReadFile(path, 4)).Message);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("1Gbps", 125_000_000)]
    [InlineData("100Mbps", 12_500_000)]
    [InlineData("10MBps", 10_000_000)]
    [InlineData("2.5 kbps", 312.5)]
    public void Rates_parse_bits_and_bytes(string text, double bytesPerSecond) =>
        Assert.Equal(bytesPerSecond, Rates.BytesPerSecond(text, "network.bandwidth"), 6);

    [Fact]
    public void Bad_rates_name_the_key() =>
        Assert.Contains("network.bandwidth = 'fast'", Assert.Throws<InputException>(() => Rates.BytesPerSecond("fast", "network.bandwidth")).Message);
}

public sealed class LinkOverridesTests
{
    [Fact]
    public void Overrides_replace_the_default_latency_of_listed_links_only()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# slow link\n0 1 constant 50ms\n1 0 uniform 1ms 2ms\n2 3 lognormal 20ms 0.5\n");
            var overrides = LinkOverridesFile.Read(path, 4);
            var link = new LinkModel(new LatencyDistribution.Constant(0.010), 1e12, 0, 1, overrides);
            Assert.Equal(1.050, link.Deliver(0, 1, 1.0, 1)!.Value, 9);
            Assert.Equal(1.010, link.Deliver(1, 2, 1.0, 1)!.Value, 9);
            Assert.InRange(link.Deliver(1, 0, 1.0, 1)!.Value, 1.001, 1.002);
            Assert.Equal(0, link.MinimumLatency);   // lognormal override has no positive lower bound
            File.WriteAllText(path, "0 0 constant 5ms\n");
            Assert.Contains("line 1", Assert.Throws<InputException>(() => LinkOverridesFile.Read(path, 4)).Message);
            File.WriteAllText(path, "0 1 constant fast\n");
            Assert.Contains("'fast' is not a duration", Assert.Throws<InputException>(() => LinkOverridesFile.Read(path, 4)).Message);
        }
        finally { File.Delete(path); }
    }
}
