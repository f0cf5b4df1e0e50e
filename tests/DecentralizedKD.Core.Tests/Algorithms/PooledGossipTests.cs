using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Memory;
using DecentralizedKD.Core.Optimization;
using Xunit;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>Parameter snapshots from a buffer pool: the same numbers as fresh arrays, and every buffer comes back.</summary>
public sealed class PooledGossipTests
{
    private const int Dim = 7, Agents = 6, Rounds = 12;

    private static MixingRow RingRow(int i) =>
        new(i, 1.0 / 3, new[] { (i + Agents - 1) % Agents, (i + 1) % Agents }.Order().ToList(), [1.0 / 3, 1.0 / 3]);

    private static Qgm[] Ring(FloatBufferPool? pool)
    {
        var agents = Enumerable.Range(0, Agents).Select(i =>
        {
            var center = Enumerable.Range(0, Dim).Select(k => (float)Math.Sin(3 * i + k) * 4).ToArray();
            return new Qgm(new QuadraticSource(center, new float[Dim], 1), RingRow(i), new SgdSettings(0.9, false, 1e-3), new LearningRateSchedule(0.1));
        }).ToArray();
        if (pool is not null)
            foreach (var a in agents) a.UseBufferPool(pool);
        return agents;
    }

    private static void Round(Qgm[] agents, int r)
    {
        foreach (var a in agents) a.LocalWork(r);
        for (int i = 0; i < Agents; i++)
            foreach (int j in RingRow(i).Neighbours)
                agents[i].Receive(agents[j].Outgoing(r, 0, i)!);
        foreach (var a in agents) a.Combine(r, 0);
    }

    [Fact]
    public void Pooled_snapshots_give_bit_identical_parameters_and_all_return_after_dispose()
    {
        var pool = new FloatBufferPool();
        var plain = Ring(null);
        var pooled = Ring(pool);
        for (int r = 0; r < Rounds; r++)
        {
            Round(plain, r);
            Round(pooled, r);
            for (int i = 0; i < Agents; i++) Assert.Equal(plain[i].Parameters.ToArray(), pooled[i].Parameters.ToArray());
        }
        var c = pool.Counters;
        Assert.Equal(Agents * Rounds, c.Rented);                 // one snapshot per agent per round
        // Buffers are reused: at most this round's and last round's snapshots exist, never one per agent per round.
        Assert.True(c.Allocated <= 2 * Agents, $"{c.Allocated} buffers allocated for {Agents} agents");
        Assert.True(c.PeakOutstanding <= 2 * Agents, $"peak {c.PeakOutstanding} outstanding");
        Assert.Equal(Agents, c.Outstanding);                     // the last round's snapshots, held by their receivers
        foreach (var a in pooled) a.Dispose();
        Assert.Equal(0, pool.Counters.Outstanding);
    }

    [Fact]
    public void A_receiver_that_drops_a_payload_without_holding_it_would_show_as_outstanding()
    {
        // The leak check the run tests rely on: a snapshot nobody releases stays counted.
        var pool = new FloatBufferPool();
        var agents = Ring(pool);
        agents[0].LocalWork(0);
        var p = agents[0].Outgoing(0, 0, 1)!;
        p.Retain();   // a message in flight that is never handled
        foreach (var a in agents) a.Dispose();
        Assert.Equal(1, pool.Counters.Outstanding);
        p.Release();
        Assert.Equal(0, pool.Counters.Outstanding);
    }
}
