using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// The asynchronous coordinator's conservative windows with probes standing in for its three agents (each the sender
/// of the other two, links at least 0.5 s): who runs a window, to which horizon, with which routed arrivals; when
/// observations are final; and how a failure, a lost agent or a stray report ends the run.
/// </summary>
public sealed class AsyncCoordinatorActorTests : TestKit
{
    private const double Lookahead = 0.5;
    private static readonly IReadOnlyDictionary<string, long> NoBytes = new Dictionary<string, long>();
    private static readonly IReadOnlyList<IReadOnlyList<int>> Senders = [[1, 2], [0, 2], [0, 1]];
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private sealed record Run(IActorRef Coordinator, TestProbe[] Agents, TaskCompletionSource<AsyncWindowResult> Done, RecordingSink Sink)
    {
        public Task<AsyncWindowResult> Result => Bounded.Within(Done.Task, "the run to end", 30);
    }

    private Run Start(Action? onFinished = null)
    {
        var agents = Enumerable.Range(0, 3).Select(i => CreateTestProbe($"agent{i}")).ToArray();
        var done = new TaskCompletionSource<AsyncWindowResult>();
        var sink = new RecordingSink();
        var coordinator = Sys.ActorOf(AsyncCoordinatorActor.Props(3, Lookahead, Senders, (_, i) => agents[i].Ref, sink, done, onFinished));
        foreach (var a in agents) a.ExpectMsg<StartAsync>();
        return new Run(coordinator, agents, done, sink);
    }

    /// <summary>Agent <paramref name="agent"/>'s window report; it can next send at <paramref name="sendsAt"/>.</summary>
    private static WindowDone Report(int agent, double next, double sendsAt, Outbound[]? sent = null, AsyncObservation[]? observed = null) =>
        new(agent, sent ?? [], observed ?? [], next, 0, NoBytes, 0, SendBound.At(sendsAt));

    /// <summary>The three start reports: next events at 1, 2, 3 and sends no earlier. Only agent 0 can run (to 2 + 0.5).</summary>
    private static void ReportStarted(Run run)
    {
        run.Coordinator.Tell(Report(0, 1.0, 1.0));
        run.Coordinator.Tell(Report(1, 2.0, 2.0));
        run.Coordinator.Tell(Report(2, 3.0, 3.0));
    }

    private void ExpectQuiet(params TestProbe[] probes)
    {
        foreach (var p in probes) p.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void No_window_opens_before_every_agent_reported_its_start_and_then_only_agents_with_an_event_before_their_horizon_run()
    {
        var run = Start();
        run.Coordinator.Tell(Report(0, 1.0, 1.0));
        run.Coordinator.Tell(Report(1, 2.0, 2.0));
        ExpectQuiet(run.Agents);   // agent 2 has not reported: no window yet
        run.Coordinator.Tell(Report(2, 3.0, 3.0));

        // Agent 0's horizon: its senders 1 and 2 send at 2 and 3 at the earliest, + 0.5. Agents 1 and 2 have nothing
        // before their horizon (agent 0 may send at 1, + 0.5 = 1.5) and are not messaged at all.
        var window = run.Agents[0].ExpectMsg<RunWindow>();
        Assert.Equal(2.5, window.End);
        Assert.Empty(window.Arrivals);
        Assert.Equal(int.MaxValue, window.StopAfterIterations);
        ExpectQuiet(run.Agents[1], run.Agents[2]);
    }

    [Fact]
    public async Task Sent_payloads_reach_their_receivers_keyed_by_time_sender_and_send_order_in_the_window_they_are_due()
    {
        var finished = 0;
        var run = Start(onFinished: () => finished++);
        ReportStarted(run);
        run.Agents[0].ExpectMsg<RunWindow>();
        var toOne = new TokenPayload(0, 0);
        var toTwo = new TokenPayload(0, 0) { Phase = 1 };
        run.Coordinator.Tell(Report(0, 3.5, 3.5, sent: [new Outbound(0, 1, 1.7, toOne), new Outbound(0, 2, 4.0, toTwo)],
            observed: [RecordingSink.Evaluated(0, 1, 2.2)]));

        // The arrival at 1.7 makes agent 1 the earliest; agent 2's arrival at 4.0 is past its horizon and waits.
        var second = run.Agents[1].ExpectMsg<RunWindow>();
        Assert.Equal(3.5, second.End);
        Assert.Equal([new RoutedArrival(1.7, 0, 0, toOne)], second.Arrivals);
        ExpectQuiet(run.Agents[0], run.Agents[2]);
        Assert.Empty(run.Sink.Evaluations);   // agent 1 may still observe something before 2.2

        run.Coordinator.Tell(new WindowDone(1, [new Outbound(1, 0, 2.9, new TokenPayload(0, 1))], [RecordingSink.Evaluated(1, 1, 2.0)],
            double.PositiveInfinity, 0, NoBytes, 1, SendBound.Never));
        var third0 = run.Agents[0].ExpectMsg<RunWindow>();
        var third2 = run.Agents[2].ExpectMsg<RunWindow>();
        // Both now final (nothing is pending before 2.9), replayed by time whatever order they were reported in.
        Assert.Equal([(1, 1, 2.0), (0, 1, 2.2)], run.Sink.Evaluations);
        run.Agents[1].ExpectNoMsg(Quiet);
        Assert.Equal(3.5, third0.End);
        Assert.Equal([new RoutedArrival(2.9, 1, 0, new TokenPayload(0, 1))], third0.Arrivals);
        Assert.Equal(4.0, third2.End);
        Assert.Equal([new RoutedArrival(4.0, 0, 1, toTwo)], third2.Arrivals);   // agent 0's second message: sequence 1

        Assert.False(run.Done.Task.IsCompleted);
        run.Coordinator.Tell(Report(0, double.PositiveInfinity, double.PositiveInfinity));
        run.Coordinator.Tell(Report(2, double.PositiveInfinity, double.PositiveInfinity));
        var result = await run.Result;
        Assert.Null(result.Error);
        Assert.Equal(3, result.Windows);
        Assert.Equal(4, result.ActiveAgentWindows);   // 1 + 1 + 2 agents
        Assert.Equal(1, finished);
        ExpectQuiet(run.Agents);
    }

    [Fact]
    public async Task An_agent_failure_ends_the_run_with_its_error_and_no_further_window_opens()
    {
        var run = Start();
        run.Coordinator.Tell(Report(0, 1.0, 1.0));
        run.Coordinator.Tell(new AgentFailed(1, -1, "InvalidOperationException: boom"));
        run.Coordinator.Tell(Report(1, 2.0, 2.0));
        run.Coordinator.Tell(Report(2, 3.0, 3.0));
        Assert.Equal("agent 1 failed: InvalidOperationException: boom", (await run.Result).Error);
        ExpectQuiet(run.Agents);
    }

    [Fact]
    public async Task An_agent_that_stops_ends_the_run_naming_it()
    {
        var run = Start();
        ReportStarted(run);
        run.Agents[0].ExpectMsg<RunWindow>();
        Sys.Stop(run.Agents[2].Ref);
        Assert.Equal("agent 2 stopped unexpectedly", (await run.Result).Error);
    }

    [Fact]
    public async Task A_failing_finish_step_is_the_runs_error()
    {
        var run = Start(onFinished: () => throw new InvalidOperationException("flush"));
        foreach (int i in new[] { 0, 1, 2 }) run.Coordinator.Tell(Report(i, double.PositiveInfinity, double.PositiveInfinity));
        var result = await run.Result;
        Assert.Equal("finishing the run failed: InvalidOperationException: flush", result.Error);
        Assert.Equal(0, result.Windows);
    }

    [Fact]
    public async Task A_payload_routed_but_never_handed_over_is_released_once_when_the_run_ends()
    {
        var run = Start();
        ReportStarted(run);
        run.Agents[0].ExpectMsg<RunWindow>();
        var late = new ReleaseCountingPayload(0, 0);
        run.Coordinator.Tell(Report(0, 3.5, 3.5, sent: [new Outbound(0, 2, 9.0, late)]));   // due long after agent 2's horizon
        run.Agents[1].ExpectMsg<RunWindow>();
        run.Coordinator.Tell(new AgentFailed(1, -1, "IOException: disk"));
        Assert.Equal("agent 1 failed: IOException: disk", (await run.Result).Error);
        Assert.Equal(1, late.Releases);
    }

    [Fact]
    public async Task A_second_report_from_the_same_agent_does_not_stand_in_for_a_missing_one()
    {
        var run = Start();
        run.Coordinator.Tell(Report(0, 1.0, 1.0));
        run.Coordinator.Tell(Report(1, 2.0, 2.0));
        run.Coordinator.Tell(Report(1, 2.0, 2.0));   // duplicate: agent 2 has still not reported
        Assert.Equal("protocol error: agent 1 reported a window it was not running", (await run.Result).Error);
        ExpectQuiet(run.Agents);
    }

    [Fact]
    public async Task A_report_from_an_agent_that_was_not_told_to_run_ends_the_run_as_a_protocol_error()
    {
        var run = Start();
        ReportStarted(run);
        run.Agents[0].ExpectMsg<RunWindow>();
        run.Coordinator.Tell(Report(2, 3.0, 3.0));   // agent 2 is not in this window
        Assert.Equal("protocol error: agent 2 reported a window it was not running", (await run.Result).Error);
        ExpectQuiet(run.Agents);
    }
}
