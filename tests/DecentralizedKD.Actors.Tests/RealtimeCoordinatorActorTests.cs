using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// The realtime coordinator with probes as its three agents (a line 0 - 1 - 2): every agent learns its neighbours
/// before it starts, observations reach the sink as they arrive, and the run ends when every agent has finished —
/// or at the first failure or lost agent.
/// </summary>
public sealed class RealtimeCoordinatorActorTests : TestKit
{
    private static readonly IReadOnlyList<IReadOnlyList<int>> Line = [[1], [0, 2], [1]];
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private sealed record Run(IActorRef Coordinator, TestProbe[] Agents, TaskCompletionSource<AsyncWindowResult> Done, RecordingSink Sink)
    {
        public Task<AsyncWindowResult> Result => Bounded.Within(Done.Task, "the run to end", 30);
    }

    private Run Start(Action? onFinished = null)
    {
        var agents = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToArray();
        var clocks = new Stopwatch?[3];
        var done = new TaskCompletionSource<AsyncWindowResult>();
        var sink = new RecordingSink();
        var coordinator = Sys.ActorOf(RealtimeCoordinatorActor.Props(3, Line, (_, i, clock) =>
        {
            clocks[i] = clock;
            return agents[i].Ref;
        }, sink, done, onFinished, null));
        for (int i = 0; i < 3; i++)
        {
            var neighbours = agents[i].ExpectMsg<SetNeighbours>().Neighbours;
            Assert.Equal(Line[i], neighbours.Keys.Order());
            Assert.All(neighbours, kv => Assert.Equal(agents[kv.Key].Ref, kv.Value));
            agents[i].ExpectMsg<StartAsync>();
        }
        // One wall clock for all agents, running once they are told to start.
        Assert.Same(clocks[0], clocks[1]);
        Assert.Same(clocks[0], clocks[2]);
        Assert.True(clocks[0]!.IsRunning);
        return new Run(coordinator, agents, done, sink);
    }

    private static RealtimeReport Report(int agent, bool finished, long bytes, params AsyncObservation[] observed) =>
        new(agent, observed, finished, bytes, new Dictionary<string, long> { ["token"] = bytes });

    [Fact]
    public async Task Observations_reach_the_sink_in_arrival_order_and_the_run_ends_when_every_agent_has_finished()
    {
        int finished = 0;
        var run = Start(() => finished++);
        run.Coordinator.Tell(Report(2, false, 8, RecordingSink.Evaluated(2, 1, 0.9)));
        run.Coordinator.Tell(Report(0, true, 16, RecordingSink.Evaluated(0, 1, 0.4)));
        run.Coordinator.Tell(Report(0, true, 16));   // a repeated "finished" does not stand in for agent 1
        run.Coordinator.Tell(Report(2, true, 24));
        Assert.False(await Task.WhenAny(run.Done.Task, Task.Delay(Quiet)) == run.Done.Task, "the run ended before agent 1 finished");
        run.Coordinator.Tell(Report(1, true, 32, RecordingSink.Evaluated(1, 1, 0.2)));

        var result = await run.Result;
        Assert.Null(result.Error);
        Assert.Equal([16L, 32, 24], result.BytesPerAgent);
        Assert.Equal(72, result.BytesByKind["token"]);
        Assert.Equal(1, finished);
        // Realtime runs are not reproducible: the sink sees observations as they came, not by their time.
        Assert.Equal([(2, 1, 0.9), (0, 1, 0.4), (1, 1, 0.2)], run.Sink.Evaluations);
        foreach (var a in run.Agents) a.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task An_agent_failure_ends_the_run_and_later_reports_are_not_replayed()
    {
        var run = Start();
        run.Coordinator.Tell(new AgentFailed(1, -1, "InvalidOperationException: boom"));
        run.Coordinator.Tell(Report(0, true, 8, RecordingSink.Evaluated(0, 1, 0.4)));
        Assert.Equal("agent 1 failed: InvalidOperationException: boom", (await run.Result).Error);
        Assert.Empty(run.Sink.Evaluations);
    }

    [Fact]
    public async Task An_agent_that_stops_ends_the_run()
    {
        var run = Start();
        Sys.Stop(run.Agents[2].Ref);
        Assert.Equal("an agent stopped unexpectedly", (await run.Result).Error);
    }

    [Fact]
    public async Task A_failing_finish_step_is_the_runs_error()
    {
        var run = Start(() => throw new InvalidOperationException("flush"));
        foreach (int i in new[] { 0, 1, 2 }) run.Coordinator.Tell(Report(i, true, 0));
        Assert.Equal("finishing the run failed: InvalidOperationException: flush", (await run.Result).Error);
    }
}
