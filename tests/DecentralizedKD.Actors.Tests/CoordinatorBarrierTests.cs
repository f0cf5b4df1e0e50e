using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Runtime;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>The coordinator's barrier logic with probes standing in for agents (no torch).</summary>
public sealed class CoordinatorBarrierTests : TestKit
{
    private static readonly IReadOnlyDictionary<string, long> NoBytes = new Dictionary<string, long>();

    private (IActorRef Coordinator, TestProbe[] Probes, TaskCompletionSource<RunResult> Done) Start(int agents, int rounds, int evalEvery, int? learners = null)
    {
        var probes = Enumerable.Range(0, agents).Select(i => CreateTestProbe($"agent{i}")).ToArray();
        var ring = Enumerable.Range(0, agents).Select(i => (IReadOnlyList<int>)new[] { (i + agents - 1) % agents, (i + 1) % agents }.Distinct().Order().ToList()).ToList();
        var settings = new CoordinatorSettings(agents, rounds, ring, r => r == rounds || (evalEvery > 0 && r % evalEvery == 0), r => r, Learners: learners);
        var done = new TaskCompletionSource<RunResult>();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(settings, (_, i) => probes[i].Ref, null, null, done));
        foreach (var (probe, i) in probes.Select((p, i) => (p, i)))
        {
            var set = probe.ExpectMsg<SetNeighbours>();
            Assert.Equal(ring[i], set.Neighbours.Keys.Order().ToList());
            probe.Reply(new AgentReady(i));
        }
        return (coordinator, probes, done);
    }

    private static bool EndedWithin(TaskCompletionSource<RunResult> done, TimeSpan wait) => done.Task.Wait(wait);

    private static RunResult Finished(TaskCompletionSource<RunResult> done)
    {
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(60)), "the run did not end in 60 s");
        return done.Task.Result;
    }

    [Fact]
    public void No_agent_starts_round_r_plus_1_before_all_agents_finished_round_r()
    {
        var (coordinator, probes, _) = Start(agents: 4, rounds: 3, evalEvery: 0);
        foreach (var p in probes) Assert.Equal(0, p.ExpectMsg<StartRound>().Round);
        // Three of four agents finish: nobody may be started on round 1.
        for (int i = 0; i < 3; i++) coordinator.Tell(new RoundDone(i, 0, 1.0, 10, NoBytes), probes[i].Ref);
        foreach (var p in probes) p.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new RoundDone(3, 0, 1.0, 10, NoBytes), probes[3].Ref);
        foreach (var p in probes) Assert.Equal(1, p.ExpectMsg<StartRound>().Round);
    }

    [Fact]
    public void Evaluation_rows_aggregate_reports_in_agent_order_and_run_ends_after_last_round()
    {
        var (coordinator, probes, done) = Start(agents: 2, rounds: 2, evalEvery: 1);
        for (int r = 0; r < 2; r++)
        {
            foreach (var p in probes) Assert.Equal(r, p.ExpectMsg<StartRound>().Round);
            coordinator.Tell(new RoundDone(1, r, 3.0, 100, NoBytes));
            coordinator.Tell(new RoundDone(0, r, 1.0, 50, NoBytes));
            foreach (var p in probes) Assert.Equal(r + 1, p.ExpectMsg<Evaluate>().CompletedRounds);
            // Reports arrive out of order; parameters differ so consensus distance is non-zero.
            coordinator.Tell(new EvaluationReport(1, r + 1, 0.5, [2f, 0f]));
            coordinator.Tell(new EvaluationReport(0, r + 1, 0.25, [0f, 0f]));
        }
        var result = Finished(done);
        Assert.Null(result.Error);
        Assert.Equal(2, result.Metrics.Count);
        var row = result.Metrics[1];
        Assert.Equal(2, row.Round);
        Assert.Equal(0.375, row.MeanAcc, 12);
        Assert.Equal(0.25, row.MinAcc);
        Assert.Equal(0.5, row.MaxAcc);
        Assert.Equal(2.0, row.TrainLoss, 12);        // mean of 1.0 and 3.0 over the round since the last evaluation
        Assert.Equal(1.0, row.ConsensusDistance, 12); // x̄ = (1,0); each agent is at squared distance 1
        Assert.Equal(300, row.BytesSent);             // cumulative over both rounds
        Assert.Equal(new[] { 0.25, 0.5 }, result.FinalAgentAccuracies);
    }

    [Fact]
    public void An_agent_failure_stops_the_run_with_an_error_naming_agent_and_round()
    {
        var (coordinator, probes, done) = Start(agents: 3, rounds: 5, evalEvery: 0);
        foreach (var p in probes) p.ExpectMsg<StartRound>();
        coordinator.Tell(new AgentFailed(2, 0, "InvalidOperationException: boom"));
        Assert.Equal("agent 2 failed in round 0: InvalidOperationException: boom", Finished(done).Error);
    }

    [Fact]
    public void An_agent_that_dies_silently_ends_the_run_instead_of_hanging()
    {
        var (_, probes, done) = Start(agents: 3, rounds: 5, evalEvery: 0);
        foreach (var p in probes) p.ExpectMsg<StartRound>();
        Sys.Stop(probes[1].Ref);
        Assert.StartsWith("agent 1 stopped unexpectedly in round 0", Finished(done).Error);
    }

    [Fact]
    public void An_abort_ends_the_run_with_its_reason_and_the_running_round()
    {
        var (coordinator, probes, done) = Start(agents: 2, rounds: 5, evalEvery: 0);
        foreach (var p in probes) p.ExpectMsg<StartRound>();
        coordinator.Tell(new RoundDone(0, 0, 1.0, 10, NoBytes));
        coordinator.Tell(new RoundDone(1, 0, 1.0, 10, NoBytes));
        foreach (var p in probes) Assert.Equal(1, p.ExpectMsg<StartRound>().Round);
        coordinator.Tell(new AbortRun("worker host h lost"));
        Assert.Equal("worker host h lost in round 1", Finished(done).Error);
    }

    [Fact]
    public void Without_agent_watching_a_stopped_agent_does_not_end_the_run_by_itself()
    {
        var probes = Enumerable.Range(0, 2).Select(i => CreateTestProbe($"w{i}")).ToArray();
        IReadOnlyList<IReadOnlyList<int>> ring = [[1], [0]];
        var settings = new CoordinatorSettings(2, 3, ring, r => r == 3, r => r) { WatchAgents = false };
        var done = new TaskCompletionSource<RunResult>();
        Sys.ActorOf(CoordinatorActor.Props(settings, (_, i) => probes[i].Ref, null, null, done));
        foreach (var p in probes) p.ExpectMsg<SetNeighbours>();
        Sys.Stop(probes[1].Ref);
        // On a cluster the host watches its agents and reports; the coordinator itself must not race it.
        Assert.False(EndedWithin(done, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Lost_agents_leave_the_barrier_and_the_rows_and_their_live_neighbours_are_told()
    {
        // Ring 0-1-2-3-0; the host of agents 2 and 3 is lost while round 1 runs (0 and 1 have finished it).
        var (coordinator, probes, done) = Start(agents: 4, rounds: 3, evalEvery: 2);
        foreach (var p in probes) Assert.Equal(0, p.ExpectMsg<StartRound>().Round);
        for (int i = 0; i < 4; i++) coordinator.Tell(new RoundDone(i, 0, 1.0, 10, NoBytes));
        foreach (var p in probes) Assert.Equal(1, p.ExpectMsg<StartRound>().Round);
        coordinator.Tell(new RoundDone(0, 1, 1.0, 10, NoBytes));
        coordinator.Tell(new RoundDone(1, 1, 3.0, 10, NoBytes));
        foreach (var p in probes) p.ExpectNoMsg(TimeSpan.FromMilliseconds(100));   // still waiting for 2 and 3

        coordinator.Tell(new AgentsLost([3, 2], "worker host h left the cluster"));
        Assert.Equal([3], probes[0].ExpectMsg<NeighboursLost>().AgentIds);
        Assert.Equal([2], probes[1].ExpectMsg<NeighboursLost>().AgentIds);
        // The round ends without them and only the live agents evaluate and go on.
        Assert.Equal(2, probes[0].ExpectMsg<Evaluate>().CompletedRounds);
        Assert.Equal(2, probes[1].ExpectMsg<Evaluate>().CompletedRounds);
        coordinator.Tell(new EvaluationReport(1, 2, 0.5, [2f, 0f]));
        coordinator.Tell(new EvaluationReport(0, 2, 0.25, [0f, 0f]));
        Assert.Equal(2, probes[0].ExpectMsg<StartRound>().Round);
        Assert.Equal(2, probes[1].ExpectMsg<StartRound>().Round);
        coordinator.Tell(new RoundDone(2, 1, 9.0, 1000, NoBytes));   // a late report of a lost agent is ignored
        coordinator.Tell(new RoundDone(0, 2, 1.0, 10, NoBytes));
        coordinator.Tell(new RoundDone(1, 2, 1.0, 10, NoBytes));
        Assert.Equal(3, probes[0].ExpectMsg<Evaluate>().CompletedRounds);
        coordinator.Tell(new EvaluationReport(0, 3, 0.75, [0f, 0f]));
        coordinator.Tell(new EvaluationReport(1, 3, 0.5, [0f, 0f]));
        foreach (var p in probes.Skip(2)) p.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var result = Finished(done);
        Assert.Null(result.Error);
        var row = result.Metrics[0];
        Assert.Equal(0.375, row.MeanAcc, 12);           // agents 0 and 1 only
        Assert.Equal(1.0, row.ConsensusDistance, 12);
        Assert.Equal(8.0 / 6, row.TrainLoss, 12);       // every RoundDone of the window (4 in round 0, 2 in round 1)
        Assert.Equal(60, row.BytesSent);
        Assert.Equal(0.625, result.Metrics[1].MeanAcc, 12);
        Assert.Equal([0.75, 0.5, double.NaN, double.NaN], result.FinalAgentAccuracies);
        Assert.Null(result.FinalAgentParameters[2]);
        var loss = Assert.Single(result.HostLosses);
        Assert.Equal(1, loss.CompletedRounds);
        Assert.Equal([2, 3], loss.AgentIds);
    }

    [Fact]
    public void Losing_the_server_ends_the_run()
    {
        var (coordinator, probes, done) = Start(agents: 3, rounds: 5, evalEvery: 0, learners: 2);
        foreach (var p in probes) p.ExpectMsg<StartRound>();
        coordinator.Tell(new AgentsLost([2], "worker host h became unreachable"));
        Assert.Equal("worker host h became unreachable in round 0; it held the server (agent 2), without which the run cannot continue",
            Finished(done).Error);
    }

    [Fact]
    public void Losing_every_agent_ends_the_run()
    {
        var (again, others, ended) = Start(agents: 2, rounds: 5, evalEvery: 0);
        foreach (var p in others) p.ExpectMsg<StartRound>();
        again.Tell(new AgentsLost([0, 1], "worker host g left the cluster"));
        Assert.Equal("worker host g left the cluster in round 0; no agent is left", Finished(ended).Error);
    }
}
