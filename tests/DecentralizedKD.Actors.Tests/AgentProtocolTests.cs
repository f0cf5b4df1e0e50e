using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// Real AgentActors on a ring of five with a fake algorithm (no torch) and a probe as their coordinator: what each
/// agent combines, in which order its phases run, when it may combine, and how it reports results and failures.
/// </summary>
public sealed class AgentProtocolTests : TestKit
{
    private const int N = 5;
    private static readonly IReadOnlyList<IReadOnlyList<int>> Ring =
        Enumerable.Range(0, N).Select(i => (IReadOnlyList<int>)new[] { (i + N - 1) % N, (i + 1) % N }.Order().ToList()).ToList();
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private sealed record Agents(IActorRef[] Refs, FakeAlgorithm[] Algorithms, ConcurrentQueue<string> Log, TestProbe Coordinator);

    /// <summary>Creates the agents and hands each its neighbours, as the coordinator does; each answers ready.</summary>
    private Agents Create(int failingAgent = -1, int failInRound = -1, int phases = 1)
    {
        var log = new ConcurrentQueue<string>();
        var coordinator = CreateTestProbe();
        var algorithms = Enumerable.Range(0, N).Select(i => new FakeAlgorithm(i, Ring[i], log, i == failingAgent ? failInRound : -1, phases)).ToArray();
        var refs = Enumerable.Range(0, N).Select(i => Sys.ActorOf(AgentActor.Props(i, () => new FakeRuntime(algorithms[i], i), coordinator.Ref, null))).ToArray();
        for (int i = 0; i < N; i++)
        {
            refs[i].Tell(new SetNeighbours(Ring[i].ToDictionary(j => j, j => refs[j])), coordinator.Ref);
            Assert.Equal(new AgentReady(i), coordinator.ExpectMsg<AgentReady>());
        }
        return new Agents(refs, algorithms, log, coordinator);
    }

    /// <summary>Starts round <paramref name="round"/> on the given agents and returns their RoundDone reports by agent.</summary>
    private static RoundDone[] RunRound(Agents agents, int round, params int[] only)
    {
        var starting = only.Length > 0 ? only : Enumerable.Range(0, N).ToArray();
        foreach (int i in starting) agents.Refs[i].Tell(new StartRound(round));
        return Enumerable.Range(0, starting.Length).Select(_ => agents.Coordinator.ExpectMsg<RoundDone>()).OrderBy(d => d.AgentId).ToArray();
    }

    [Fact]
    public void Each_agent_combines_exactly_its_neighbours_payloads_of_the_same_round_and_reports_what_it_sent()
    {
        var agents = Create();
        for (int r = 0; r < 6; r++)
        {
            var done = RunRound(agents, r);
            Assert.Equal(Enumerable.Range(0, N), done.Select(d => d.AgentId));
            foreach (var d in done)
            {
                Assert.Equal(r, d.Round);
                Assert.Equal(d.AgentId, d.Loss);       // the fake's loss is its id
                Assert.Equal(2 * 8, d.BytesSent);      // two neighbours, 8 bytes each, this round only
                Assert.Equal(2 * 8, d.BytesByKind["token"]);
                var received = agents.Algorithms[d.AgentId].Received[(r, 0)];
                Assert.Equal(Ring[d.AgentId], received.Select(x => x.Sender).ToList());   // delivered in sender order
                Assert.All(received, x => Assert.Equal(r, x.Round));
            }
        }
        agents.Coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Each_phase_combines_only_that_phase_payloads_and_phases_run_in_order()
    {
        var agents = Create(phases: 3);
        for (int r = 0; r < 4; r++)
            Assert.All(RunRound(agents, r), d => Assert.Equal(8L * 2 * 3, d.BytesByKind["token"]));   // every phase's payloads count
        for (int i = 0; i < N; i++)
        {
            for (int r = 0; r < 4; r++)
                for (int p = 0; p < 3; p++)
                {
                    var received = agents.Algorithms[i].Received[(r, p)];
                    Assert.Equal(Ring[i], received.Select(x => x.Sender).ToList());
                    Assert.All(received, x => Assert.Equal((r, p), (x.Round, x.Phase)));
                }
            var own = agents.Log.Where(l => l.EndsWith($"agent {i}")).ToList();
            var expected = Enumerable.Range(0, 4).SelectMany(r => new[] { $"work {r} agent {i}" }
                .Concat(Enumerable.Range(0, 3).Select(p => $"combine {r} phase {p} agent {i}"))).ToList();
            Assert.Equal(expected, own);
        }
    }

    [Fact]
    public void An_agent_combines_only_once_every_neighbours_payload_of_its_round_has_arrived()
    {
        var agents = Create();
        // Agent 4 is not started: its neighbours 0 and 3 must wait; 1 and 2 have everything they need.
        foreach (int i in new[] { 0, 1, 2, 3 }) agents.Refs[i].Tell(new StartRound(0));
        var first = new[] { agents.Coordinator.ExpectMsg<RoundDone>(), agents.Coordinator.ExpectMsg<RoundDone>() };
        Assert.Equal([1, 2], first.Select(d => d.AgentId).Order());
        agents.Coordinator.ExpectNoMsg(Quiet);
        Assert.False(agents.Algorithms[0].Received.ContainsKey((0, 0)));
        Assert.False(agents.Algorithms[3].Received.ContainsKey((0, 0)));

        // Agent 1 runs ahead into round 1: its payload reaches agent 0 early and is kept for round 1, not combined in round 0.
        agents.Refs[1].Tell(new StartRound(1));
        agents.Coordinator.ExpectNoMsg(Quiet);
        agents.Refs[4].Tell(new StartRound(0));
        var rest = Enumerable.Range(0, 3).Select(_ => agents.Coordinator.ExpectMsg<RoundDone>()).ToArray();
        Assert.Equal([0, 3, 4], rest.Select(d => d.AgentId).Order());
        Assert.All(rest, d => Assert.Equal(0, d.Round));
        Assert.Equal([(0, 1, 0), (0, 4, 0)], agents.Algorithms[0].Received[(0, 0)]);
    }

    [Fact]
    public void An_exception_in_an_agent_is_reported_with_its_id_and_round_and_stops_it()
    {
        var agents = Create(failingAgent: 3, failInRound: 4);
        for (int r = 0; r < 4; r++) RunRound(agents, r);
        Watch(agents.Refs[3]);
        agents.Refs[3].Tell(new StartRound(4));
        Assert.Equal(new AgentFailed(3, 4, "InvalidOperationException: boom"), agents.Coordinator.ExpectMsg<AgentFailed>());
        ExpectTerminated(agents.Refs[3]);
    }

    [Fact]
    public void An_evaluation_reports_accuracy_and_a_copy_of_the_parameters_to_the_coordinator()
    {
        var agents = Create();
        RunRound(agents, 0);
        agents.Refs[2].Tell(new Evaluate(1));
        var report = agents.Coordinator.ExpectMsg<EvaluationReport>();
        Assert.Equal((2, 1, 0.5), (report.AgentId, report.CompletedRounds, report.Accuracy));
        Assert.Equal([2f], report.Parameters);
        agents.Coordinator.ExpectNoMsg(Quiet);
    }
}
