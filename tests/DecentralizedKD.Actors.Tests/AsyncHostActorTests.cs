using DecentralizedKD.Core.Training;
using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.TestSupport;
using Xunit;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// A worker host in asynchronous mode, with real agents (fake algorithm, no torch), a probe as the coordinator node and
/// a probe in a second actor system as the other host (host 1, agent 2; this host is host 0 with agents 0 and 1). The
/// other system has its own address, so the host tells it apart as the owner check does between machines.
/// </summary>
public sealed class AsyncHostActorTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AgentWork = TimeSpan.FromSeconds(10);
    private static readonly int[] HostOfAgent = [0, 0, 1];
    private static readonly IReadOnlyList<IReadOnlyList<int>> Neighbours = [[1, 2], [0], [0]];

    private readonly ActorSystem _otherMachine = ActorSystem.Create("host1");
    private readonly ConcurrentQueue<string> _log = new();
    private readonly FakeAlgorithm?[] _algorithms = new FakeAlgorithm?[3];

    private sealed record Host(IActorRef Actor, TestProbe Coordinator, TestProbe Other, TaskCompletionSource<string?> Finished)
    {
        public AssignAgents Assignment => new(0, [0, 1], HostOfAgent, [Actor, Other.Ref], "fp");
    }

    private Host Start()
    {
        var finished = new TaskCompletionSource<string?>();
        var links = new LinkModel(new LatencyDistribution.Constant(0.5), 1e9, 0, 1);
        var async = new AsyncSettings(Budget: 1, MaxStaleness: -1, WaitTimeoutS: 1, EvaluatesAfter: _ => false);
        var actor = Sys.ActorOf(AsyncHostActor.Props((i, observer) =>
        {
            var algorithm = _algorithms[i] = new FakeAlgorithm(i, Neighbours[i], _log);
            return new AsyncAgent(i, new FakeRuntime(algorithm, i), Neighbours[i], links, 1.0, ChurnSchedule.None, async, observer);
        }, new HostSettings(null, 1 << 20, "fp", null, e => finished.TrySetResult(e))));
        return new Host(actor, CreateTestProbe(), CreateTestProbe(_otherMachine), finished);
    }

    /// <summary>Assigned, registered and started (window 0): both agents' next event is the end of their first step at t = 1.</summary>
    private Host Started()
    {
        var host = Start();
        host.Actor.Tell(host.Assignment, host.Coordinator.Ref);
        var registered = host.Coordinator.ExpectMsg<AgentsRegistered>();
        Assert.Equal(0, registered.HostIndex);
        Assert.Equal([0, 1], registered.AgentIds);
        host.Actor.Tell(new HostRunWindow(0, [], 0), host.Coordinator.Ref);
        var started = host.Coordinator.ExpectMsg<HostWindowDone>(AgentWork);
        Assert.Equal((0, 0L), (started.HostIndex, started.Window));
        Assert.Equal([0, 1], started.Agents.Select(a => a.AgentId));
        Assert.All(started.Agents, a => Assert.Equal(1.0, a.NextEventTime));
        Assert.Empty(started.SentTo);
        return host;
    }

    private static HostArrivals FromAgent2(long window, int to, double time) =>
        new(window, 1, [new ArrivalBundle(2, new TokenPayload(0, 2), [new ArrivalTarget(to, time, 0)])]);

    [Fact]
    public void A_repeated_assignment_is_answered_with_the_same_agents_and_another_one_is_rejected()
    {
        var host = Start();
        host.Actor.Tell(host.Assignment, host.Coordinator.Ref);
        var first = host.Coordinator.ExpectMsg<AgentsRegistered>();
        host.Actor.Tell(host.Assignment, host.Coordinator.Ref);
        var again = host.Coordinator.ExpectMsg<AgentsRegistered>();
        Assert.Equal(first.Agents, again.Agents);   // the same actors, not new ones

        host.Actor.Tell(host.Assignment with { HostIndex = 1, AgentIds = [2] }, host.Coordinator.Ref);
        Assert.Equal(new HostRejected(1, "already runs agents as worker 0"), host.Coordinator.ExpectMsg<HostRejected>());
    }

    [Fact]
    public void An_assignment_for_another_experiment_is_rejected_naming_both_fingerprints()
    {
        var host = Start();
        host.Actor.Tell(host.Assignment with { Fingerprint = "other" }, host.Coordinator.Ref);
        Assert.Equal(new HostRejected(0, "was started with a different experiment (config fingerprint fp, coordinator has other)"),
            host.Coordinator.ExpectMsg<HostRejected>());
    }

    [Fact]
    public void Sent_payloads_stay_local_or_go_once_per_host_with_sequence_numbers_and_the_report_names_their_earliest_arrivals()
    {
        var host = Started();
        host.Actor.Tell(new HostRunWindow(1, [new AgentWindow(0, 1.2)], 0), host.Coordinator.Ref);   // agent 0's step ends at 1

        var batch = host.Other.ExpectMsg<HostArrivals>(AgentWork);
        Assert.Equal((1L, 0), (batch.Window, batch.FromHost));
        var bundle = Assert.Single(batch.Bundles);
        Assert.Equal((0, new TokenPayload(0, 0)), (bundle.From, bundle.Payload));
        var target = Assert.Single(bundle.Targets);
        Assert.Equal((2, 1L), (target.To, target.Sequence));   // agent 0's second message (the first went to local agent 1)

        var done = host.Coordinator.ExpectMsg<HostWindowDone>(AgentWork);
        Assert.Equal((0, 1L), (done.HostIndex, done.Window));
        Assert.Equal([0], done.Agents.Select(a => a.AgentId));   // agent 1 did not run
        Assert.Equal([1, 2], done.Due.Select(d => d.To));
        Assert.All(done.Due, d => Assert.InRange(d.Time, 1.5, 1.5 + 1e-6));
        Assert.Equal([1], done.SentTo);
        host.Other.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_window_waits_for_the_arrival_batches_of_earlier_windows_and_forged_or_later_batches_do_not_count()
    {
        var host = Started();
        host.Actor.Tell(new HostRunWindow(1, [new AgentWindow(0, 3.0)], ArrivalBatches: 1), host.Coordinator.Ref);
        host.Coordinator.ExpectNoMsg(Quiet);   // host 1's batch of window 0 has not come

        // Not counted: a batch of window 1 itself, one speaking for agent 0 (placed here), one from a non-host.
        host.Actor.Tell(FromAgent2(1, 0, 0.6), host.Other.Ref);
        host.Actor.Tell(new HostArrivals(0, 1, [new ArrivalBundle(0, new TokenPayload(0, 0), [new ArrivalTarget(1, 1.6, 0)])]), host.Other.Ref);
        host.Actor.Tell(FromAgent2(0, 0, 1.6), CreateTestProbe().Ref);
        host.Coordinator.ExpectNoMsg(Quiet);

        host.Actor.Tell(FromAgent2(0, 0, 0.6), host.Other.Ref);
        var done = host.Coordinator.ExpectMsg<HostWindowDone>(AgentWork);
        Assert.Equal(1L, done.Window);
        // Agent 0 combined agent 2's payloads (both batches were filed; neither forged one reached agent 1 or 0).
        Assert.Equal([(0, 2, 0), (0, 2, 0)], _algorithms[0]!.Received[(0, 0)]);
        Assert.Null(_algorithms[1]!.Received.GetValueOrDefault((0, 0)));

        host.Actor.Tell(new RunFinished(null), host.Coordinator.Ref);
        var stats = host.Coordinator.ExpectMsg<HostWireStats>();
        Assert.Equal((0, 2L), (stats.HostIndex, stats.Dropped));
        Assert.Null(await Bounded.Within(host.Finished.Task, "the host to finish", 10));
    }

    [Fact]
    public void Control_messages_from_anyone_but_the_assigning_coordinator_node_are_dropped()
    {
        var host = Started();
        host.Actor.Tell(new HostRunWindow(1, [new AgentWindow(0, 1.2)], 0), host.Other.Ref);
        host.Actor.Tell(new RunFinished("forged"), host.Other.Ref);
        host.Coordinator.ExpectNoMsg(Quiet);
        host.Other.ExpectNoMsg(Quiet);
        Assert.False(host.Finished.Task.IsCompleted);
    }

    [Fact]
    public async Task A_payload_for_an_agent_it_does_not_hold_aborts_the_run_and_no_window_runs_afterwards()
    {
        var host = Started();
        host.Actor.Tell(FromAgent2(0, 2, 1.6), host.Other.Ref);
        Assert.Equal("host 0 got a payload for agent 2, which it does not hold", host.Coordinator.ExpectMsg<AbortRun>().Reason);
        host.Actor.Tell(new HostRunWindow(1, [new AgentWindow(0, 1.2)], 0), host.Coordinator.Ref);
        host.Coordinator.ExpectNoMsg(Quiet);
        host.Actor.Tell(new RunFinished("host 0 got a payload ..."), host.Coordinator.Ref);
        host.Coordinator.ExpectMsg<HostWireStats>();
        Assert.Equal("host 0 got a payload ...", await Bounded.Within(host.Finished.Task, "the host to finish", 10));
    }

    [Fact]
    public void A_window_for_an_agent_it_does_not_hold_or_a_repeated_window_aborts_the_run()
    {
        var foreign = Started();
        foreign.Actor.Tell(new HostRunWindow(1, [new AgentWindow(2, 1.2)], 0), foreign.Coordinator.Ref);
        Assert.Equal("host 0 was asked to run agent 2, which it does not hold", foreign.Coordinator.ExpectMsg<AbortRun>().Reason);

        var repeated = Started();
        repeated.Actor.Tell(new HostRunWindow(0, [], 0), repeated.Coordinator.Ref);
        Assert.Equal("host 0 got window 0 while window 0 is running", repeated.Coordinator.ExpectMsg<AbortRun>().Reason);
    }

    [Fact]
    public async Task Losing_the_coordinator_node_finishes_the_host_and_a_stopped_agent_aborts_the_run()
    {
        var host = Started();
        var self = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var agent1 = await Sys.ActorSelection(host.Actor.Path / "agent-1").ResolveOne(TimeSpan.FromSeconds(5));
        Sys.Stop(agent1);
        Assert.Equal($"agent 1 on host {self} stopped unexpectedly", host.Coordinator.ExpectMsg<AbortRun>().Reason);

        Sys.Stop(host.Coordinator.Ref);
        Assert.Equal($"the coordinator node {self} stopped before the run ended", await Bounded.Within(host.Finished.Task, "the host to finish", 10));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _otherMachine.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.Dispose(disposing);
    }
}
