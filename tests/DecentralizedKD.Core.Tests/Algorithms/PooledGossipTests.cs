using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Memory;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Topology;

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

    /// <summary>Runs both rings for <see cref="Rounds"/> rounds; after each, the pooled ring's parameters equal the plain one's bit for bit.</summary>
    private static void RoundsSideBySide(Qgm[] plain, Qgm[] pooled, Action? afterRound = null)
    {
        for (int r = 0; r < Rounds; r++)
        {
            Round(plain, r);
            Round(pooled, r);
            for (int i = 0; i < Agents; i++) Assert.Equal(plain[i].Parameters.ToArray(), pooled[i].Parameters.ToArray());
            afterRound?.Invoke();
        }
    }

    [Fact]
    public void Pooled_snapshots_give_bit_identical_parameters_and_all_return_after_dispose()
    {
        var pool = new FloatBufferPool();
        var plain = Ring(null);
        var pooled = Ring(pool);
        RoundsSideBySide(plain, pooled);
        var c = pool.Counters;
        Assert.Equal(2 * Agents * Rounds, c.Rented);             // a snapshot and the mixing scratch per agent per round
        // Buffers are reused: at most this round's and last round's snapshots exist, never one per agent per round.
        Assert.True(c.Allocated <= 2 * Agents + 1, $"{c.Allocated} buffers allocated for {Agents} agents");
        Assert.True(c.PeakOutstanding <= 2 * Agents + 1, $"peak {c.PeakOutstanding} outstanding");
        Assert.Equal(Agents, c.Outstanding);                     // the last round's snapshots, held by their receivers
        foreach (var a in pooled) a.Dispose();
        Assert.Equal(0, pool.Counters.Outstanding);
    }

    [Fact]
    public void Releasing_after_each_synchronous_iteration_needs_one_buffer_per_agent_and_changes_no_number()
    {
        var pool = new FloatBufferPool();
        var plain = Ring(null);
        var pooled = Ring(pool);
        foreach (var a in pooled) a.ReleasePayloadsAfterEachIteration();
        // After each iteration only the senders hold their snapshots (the scratch went back inside Combine).
        RoundsSideBySide(plain, pooled, afterRound: () => Assert.Equal(Agents, pool.Counters.Outstanding));
        // So each sender's next snapshot reuses its own buffer: one per agent plus the mixing scratch, over all rounds.
        Assert.Equal(Agents + 1, pool.Counters.Allocated);
        // Past the barrier the snapshots go back (an evaluation's copies then reuse them); closing an earlier round
        // leaves the current snapshot alone.
        pooled[0].RoundClosed(Rounds - 2);
        Assert.Equal(Agents, pool.Counters.Outstanding);
        foreach (var a in pooled) a.RoundClosed(Rounds - 1);
        Assert.Equal(0, pool.Counters.Outstanding);
        foreach (var a in pooled) a.Dispose();
        Assert.Equal(0, pool.Counters.Outstanding);
    }

    [Fact]
    public void Without_release_after_each_iteration_a_received_payload_stays_held_for_a_silent_neighbour()
    {
        // Asynchronous runs (and clusters going on without a lost host) combine with a silent neighbour's last payload.
        var pool = new FloatBufferPool();
        var agents = Ring(pool);
        Round(agents, 0);
        foreach (var a in agents) a.RoundClosed(0);   // ignored without ReleasePayloadsAfterEachIteration
        Assert.Equal(Agents, pool.Counters.Outstanding);
        foreach (var a in agents) a.Dispose();
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
