using DecentralizedKD.Core.Training;
using System.Collections.Concurrent;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Simulation;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>An asynchronous agent actor driven by a probe coordinator, with a fake algorithm (no torch).</summary>
public sealed class AsyncAgentActorTests : TestKit
{
    [Fact]
    public void Arrivals_are_handled_in_virtual_time_order_whatever_order_they_are_delivered_in()
    {
        var log = new ConcurrentQueue<string>();
        var algorithm = new FakeAlgorithm(0, [1, 2], log);
        var links = new LinkModel(new LatencyDistribution.Constant(0.5), 1e9, 0, 1);
        var settings = new AsyncSettings(Budget: 1, MaxStaleness: -1, WaitTimeoutS: 1, EvaluatesAfter: _ => false);
        var coordinator = CreateTestProbe();
        var agent = Sys.ActorOf(AsyncAgentActor.Props(0,
            obs => new AsyncAgent(0, new FakeRuntime(algorithm, 0), [1, 2], links, 1.0, ChurnSchedule.None, settings, obs), coordinator.Ref, null));

        agent.Tell(new StartAsync(), coordinator.Ref);
        var started = coordinator.ExpectMsg<WindowDone>(TimeSpan.FromSeconds(30));
        Assert.Equal(1.0, started.NextEventTime);   // its step finishes at t = 1
        Assert.Empty(started.Sent);

        // Delivered out of order; payload rounds tag them: expected handling order (0.3, 1), (0.3, 2), (0.7, 1).
        agent.Tell(new RunWindow(10, [
            new RoutedArrival(0.7, 1, 1, new TokenPayload(12, 1)),
            new RoutedArrival(0.3, 2, 0, new TokenPayload(11, 2)),
            new RoutedArrival(0.3, 1, 0, new TokenPayload(10, 1)),
        ]), coordinator.Ref);
        var done = coordinator.ExpectMsg<WindowDone>(TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { (10, 1, 0), (11, 2, 0), (12, 1, 0) }, algorithm.Received[(0, 0)]);
        // At t = 1 it sent its payload to both neighbours, arriving after the 0.5 s link latency (+ transfer time).
        Assert.Equal(new[] { 1, 2 }, done.Sent.Select(s => s.To));
        Assert.All(done.Sent, s => Assert.InRange(s.ArrivalTime, 1.5, 1.5 + 1e-6));
        Assert.Equal(double.PositiveInfinity, done.NextEventTime);  // budget of one iteration used up
    }

    [Fact]
    public void Events_after_the_window_end_wait_for_a_later_window()
    {
        var log = new ConcurrentQueue<string>();
        var algorithm = new FakeAlgorithm(0, [1], log);
        var links = new LinkModel(new LatencyDistribution.Constant(0.1), 1e9, 0, 1);
        var settings = new AsyncSettings(2, -1, 1, _ => false);
        var coordinator = CreateTestProbe();
        var agent = Sys.ActorOf(AsyncAgentActor.Props(0,
            obs => new AsyncAgent(0, new FakeRuntime(algorithm, 0), [1], links, 1.0, ChurnSchedule.None, settings, obs), coordinator.Ref, null));
        agent.Tell(new StartAsync(), coordinator.Ref);
        coordinator.ExpectMsg<WindowDone>(TimeSpan.FromSeconds(30));
        agent.Tell(new RunWindow(0.9, []), coordinator.Ref);     // the step ends at t = 1: not in [.., 0.9)
        var early = coordinator.ExpectMsg<WindowDone>(TimeSpan.FromSeconds(30));
        Assert.Empty(early.Sent);
        Assert.DoesNotContain("combine 0 phase 0 agent 0", log);
        agent.Tell(new RunWindow(1.1, []), coordinator.Ref);
        var late = coordinator.ExpectMsg<WindowDone>(TimeSpan.FromSeconds(30));
        Assert.Single(late.Sent);
        Assert.Contains("combine 0 phase 0 agent 0", log);
        Assert.Equal(2.0, late.NextEventTime);                    // iteration 1 runs from t = 1 to t = 2
    }
}
