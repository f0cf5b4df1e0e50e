using System.Collections.Concurrent;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Runtime;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>Real AgentActors and the coordinator with a fake algorithm: message routing, barrier and failure handling.</summary>
public sealed class AgentProtocolTests : TestKit
{
    private const int N = 5;
    private static readonly IReadOnlyList<IReadOnlyList<int>> Ring =
        Enumerable.Range(0, N).Select(i => (IReadOnlyList<int>)new[] { (i + N - 1) % N, (i + 1) % N }.Order().ToList()).ToList();

    private (RunResult Result, FakeAlgorithm[] Agents, string[] Log) RunFake(int rounds, int failingAgent = -1, int failInRound = -1, int phases = 1)
    {
        var log = new ConcurrentQueue<string>();
        var agents = Enumerable.Range(0, N).Select(i => new FakeAlgorithm(i, Ring[i], log, i == failingAgent ? failInRound : -1, phases)).ToArray();
        var done = new TaskCompletionSource<RunResult>();
        var settings = new CoordinatorSettings(N, rounds, Ring, r => r == rounds, r => r);
        Sys.ActorOf(CoordinatorActor.Props(settings,
            (ctx, i) => ctx.ActorOf(AgentActor.Props(i, () => new FakeRuntime(agents[i], i), ctx.Self, null), $"agent-{i}"),
            null, null, done));
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(60)), "run did not end in 60 s");
        return (done.Task.Result, agents, log.ToArray());
    }

    [Fact]
    public void Each_agent_combines_exactly_its_neighbours_payloads_of_the_same_round()
    {
        var (result, agents, _) = RunFake(rounds: 6);
        Assert.Null(result.Error);
        for (int i = 0; i < N; i++)
            for (int r = 0; r < 6; r++)
            {
                var received = agents[i].Received[(r, 0)];
                Assert.Equal(Ring[i], received.Select(x => x.Sender).ToList());   // delivered in sender order
                Assert.All(received, x => Assert.Equal(r, x.Round));
            }
        Assert.Equal(6L * N * 2 * 8, result.Metrics[^1].BytesSent);
        Assert.Equal(8L * N * 2 * 6, result.BytesByKind["token"]);
    }

    [Fact]
    public void Each_phase_combines_only_that_phase_payloads_and_phases_run_in_order()
    {
        var (result, agents, log) = RunFake(rounds: 4, phases: 3);
        Assert.Null(result.Error);
        for (int i = 0; i < N; i++)
            for (int r = 0; r < 4; r++)
                for (int p = 0; p < 3; p++)
                {
                    var received = agents[i].Received[(r, p)];
                    Assert.Equal(Ring[i], received.Select(x => x.Sender).ToList());
                    Assert.All(received, x => Assert.Equal((r, p), (x.Round, x.Phase)));
                }
        for (int i = 0; i < N; i++)
        {
            var own = log.Where(l => l.EndsWith($"agent {i}")).ToList();
            var expected = Enumerable.Range(0, 4).SelectMany(r => new[] { $"work {r} agent {i}" }
                .Concat(Enumerable.Range(0, 3).Select(p => $"combine {r} phase {p} agent {i}"))).ToList();
            Assert.Equal(expected, own);
        }
        Assert.Equal(8L * N * 2 * 4 * 3, result.BytesByKind["token"]);   // every phase's payloads are counted
    }

    [Fact]
    public void No_agent_works_on_round_r_plus_1_before_every_agent_combined_round_r()
    {
        var (_, _, log) = RunFake(rounds: 8);
        for (int r = 1; r < 8; r++)
        {
            int firstWork = Array.FindIndex(log, l => l.StartsWith($"work {r} "));
            int lastCombine = Array.FindLastIndex(log, l => l.StartsWith($"combine {r - 1} "));
            Assert.True(lastCombine < firstWork, $"round {r} started before round {r - 1} finished");
        }
    }

    [Fact]
    public void An_exception_in_an_agent_ends_the_run_with_its_id_and_round()
    {
        var (result, _, _) = RunFake(rounds: 10, failingAgent: 3, failInRound: 4);
        Assert.Equal("agent 3 failed in round 4: InvalidOperationException: boom", result.Error);
    }
}
