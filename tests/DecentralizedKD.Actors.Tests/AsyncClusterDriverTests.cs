using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// The asynchronous cluster driver with probes standing in for two worker hosts (host 0 holds agents 0 and 1, host 1
/// agent 2; each agent is a sender of the other two, links at least 0.5 s): window 0 starts every host, later windows
/// go only to hosts holding an active agent, with the arrival batches they must wait for; a report from the wrong host,
/// window or agent, a lost host and a failed agent end the run with a message saying which.
/// </summary>
public sealed class AsyncClusterDriverTests : TestKit
{
    private static readonly IReadOnlyDictionary<string, long> NoBytes = new Dictionary<string, long>();
    private static readonly IReadOnlyList<IReadOnlyList<int>> Senders = [[1, 2], [0, 2], [0, 1]];
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private sealed class Resources : IDisposable
    {
        public int Disposed;
        public void Dispose() => Disposed++;
    }

    private sealed record Run(IActorRef Driver, TestProbe[] Hosts, TaskCompletionSource<RunResult> Done, Resources Resources)
    {
        public AsyncWindowResult? Windows;
        public int Finished;
        public Task<RunResult> Result => Bounded.Within(Done.Task, "the run to end", 30);
    }

    private Run Start()
    {
        var hosts = new[] { CreateTestProbe(), CreateTestProbe() };
        var done = new TaskCompletionSource<RunResult>();
        var resources = new Resources();
        Run? run = null;
        var settings = new AsyncClusterDriverSettings(hosts.Select(h => h.Ref).ToArray(), [0, 0, 1], Senders, 0.5, new RecordingSink(),
            () => run!.Finished++, w =>
            {
                run!.Windows = w;
                return new RunResult([], [], w.BytesPerAgent, w.BytesByKind, w.Error);
            }, resources);
        run = new Run(Sys.ActorOf(AsyncClusterDriver.Props(settings, done, null)), hosts, done, resources);
        foreach (var h in hosts) Assert.Equal(new HostRunWindow(0, [], 0), h.ExpectMsg<HostRunWindow>(), HostRunWindowComparer.Instance);
        return run;
    }

    private static AgentWindowReport Agent(int id, double next, double sendsAt, long bytes = 0) =>
        new(id, [], next, bytes, NoBytes, 0, SendBound.At(sendsAt));

    /// <summary>Window 0 reported: agents' next events at 1, 2, 3; only agent 0 (host 0) runs window 1, to 2.5.</summary>
    private static void ReportStarted(Run run)
    {
        run.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        run.Driver.Tell(new HostWindowDone(1, 0, [Agent(2, 3.0, 3.0)], [], []));
    }

    private static void AssertWindow(long window, AgentWindow[] agents, long batches, HostRunWindow actual) =>
        Assert.Equal(new HostRunWindow(window, agents, batches), actual, HostRunWindowComparer.Instance);

    [Fact]
    public async Task Only_hosts_holding_an_active_agent_run_a_window_and_a_host_waits_for_the_batches_sent_to_it()
    {
        var run = Start();
        run.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        foreach (var h in run.Hosts) h.ExpectNoMsg(Quiet);   // host 1 has not reported window 0
        run.Driver.Tell(new HostWindowDone(1, 0, [Agent(2, 3.0, 3.0)], [], []));
        AssertWindow(1, [new AgentWindow(0, 2.5)], 0, run.Hosts[0].ExpectMsg<HostRunWindow>());
        run.Hosts[1].ExpectNoMsg(Quiet);

        // Agent 0 sent agent 2 (host 1) a payload due at 1.7, so host 1 runs agent 2 once that one batch is in.
        run.Driver.Tell(new HostWindowDone(0, 1, [Agent(0, 3.5, 3.5, bytes: 40)], [new ArrivalDue(2, 1.7)], [1]));
        AssertWindow(2, [new AgentWindow(1, 3.5)], 0, run.Hosts[0].ExpectMsg<HostRunWindow>());
        AssertWindow(2, [new AgentWindow(2, 2.5)], 1, run.Hosts[1].ExpectMsg<HostRunWindow>());

        run.Driver.Tell(new HostWindowDone(1, 2, [Agent(2, double.PositiveInfinity, double.PositiveInfinity, bytes: 8)], [], []));
        foreach (var h in run.Hosts) h.ExpectNoMsg(Quiet);   // host 0's agent 1 is still running window 2
        run.Driver.Tell(new HostWindowDone(0, 2, [Agent(1, double.PositiveInfinity, double.PositiveInfinity, bytes: 16)], [], []));
        // Agent 0's step ending at 3.5 is the last event; nobody can send to it any more, so its horizon is open.
        AssertWindow(3, [new AgentWindow(0, double.PositiveInfinity)], 0, run.Hosts[0].ExpectMsg<HostRunWindow>());
        run.Hosts[1].ExpectNoMsg(Quiet);
        Assert.False(run.Done.Task.IsCompleted);
        run.Driver.Tell(new HostWindowDone(0, 3, [Agent(0, double.PositiveInfinity, double.PositiveInfinity, bytes: 48)], [], []));

        var result = await run.Result;
        Assert.Null(result.Error);
        Assert.Equal([48L, 16, 8], result.BytesPerAgent);
        Assert.Equal(3, run.Windows!.Windows);
        Assert.Equal(4, run.Windows.ActiveAgentWindows);   // 1 + 2 + 1 agents
        Assert.Equal(1, run.Finished);
        foreach (var h in run.Hosts) h.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_second_report_of_the_same_window_from_one_host_is_a_protocol_error()
    {
        var run = Start();
        run.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        run.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        Assert.Equal("protocol error: host 0 reported window 0 while window 0 is running", (await run.Result).Error);
        foreach (var h in run.Hosts) h.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_report_from_a_host_that_was_not_asked_to_run_the_window_is_a_protocol_error()
    {
        var run = Start();
        ReportStarted(run);
        run.Hosts[0].ExpectMsg<HostRunWindow>();
        run.Driver.Tell(new HostWindowDone(1, 1, [Agent(2, 3.0, 3.0)], [], []));
        Assert.Equal("protocol error: host 1 reported window 1 while window 1 is running", (await run.Result).Error);
    }

    [Fact]
    public async Task A_report_of_a_finished_window_or_a_host_index_out_of_range_is_a_protocol_error()
    {
        var late = Start();
        ReportStarted(late);
        late.Hosts[0].ExpectMsg<HostRunWindow>();
        late.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        Assert.Equal("protocol error: host 0 reported window 0 while window 1 is running", (await late.Result).Error);

        var unknown = Start();
        unknown.Driver.Tell(new HostWindowDone(7, 0, [], [], []));
        Assert.Equal("protocol error: host 7 reported window 0 while window 0 is running", (await unknown.Result).Error);
    }

    [Fact]
    public async Task A_host_reporting_an_agent_it_does_not_hold_is_a_protocol_error()
    {
        var run = Start();
        run.Driver.Tell(new HostWindowDone(0, 0, [Agent(0, 1.0, 1.0), Agent(1, 2.0, 2.0)], [], []));
        run.Driver.Tell(new HostWindowDone(1, 0, [Agent(0, 3.0, 3.0)], [], []));
        Assert.Equal("protocol error: host 1 reported agent 0, which it does not hold", (await run.Result).Error);
        foreach (var h in run.Hosts) h.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_lost_host_ends_the_run_naming_the_window_and_the_driver_disposes_its_resources_when_stopped()
    {
        var starting = Start();
        starting.Driver.Tell(new AbortRun("worker host h1 left the cluster"));
        Assert.Equal("worker host h1 left the cluster while starting the agents", (await starting.Result).Error);

        var running = Start();
        ReportStarted(running);
        running.Hosts[0].ExpectMsg<HostRunWindow>();
        running.Driver.Tell(new AbortRun("worker host h0 became unreachable"));
        running.Driver.Tell(new HostWindowDone(0, 1, [Agent(0, 3.5, 3.5)], [], []));   // too late: the run is over
        Assert.Equal("worker host h0 became unreachable in virtual-time window 1", (await running.Result).Error);
        foreach (var h in running.Hosts) h.ExpectNoMsg(Quiet);

        Assert.Equal(0, running.Resources.Disposed);
        Watch(running.Driver);
        Sys.Stop(running.Driver);
        ExpectTerminated(running.Driver);
        Assert.Equal(1, running.Resources.Disposed);
    }

    [Fact]
    public async Task An_agent_failure_ends_the_run_with_its_error()
    {
        var run = Start();
        run.Driver.Tell(new AgentFailed(2, -1, "InvalidOperationException: boom"));
        Assert.Equal("agent 2 failed: InvalidOperationException: boom", (await run.Result).Error);
    }

    /// <summary>Records compare arrays by reference; a window is equal when its fields and agent lists are.</summary>
    private sealed class HostRunWindowComparer : IEqualityComparer<HostRunWindow>
    {
        public static readonly HostRunWindowComparer Instance = new();
        public bool Equals(HostRunWindow? x, HostRunWindow? y) =>
            x is not null && y is not null && x.Window == y.Window && x.ArrivalBatches == y.ArrivalBatches && x.Agents.SequenceEqual(y.Agents);
        public int GetHashCode(HostRunWindow obj) => obj.Window.GetHashCode();
    }
}
