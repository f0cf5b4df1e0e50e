using DecentralizedKD.Core.Training;
using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Simulation;
using Xunit;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// A realtime agent (fake algorithm, no torch) with probes as its coordinator and its one neighbour: its step and link
/// times become wall-clock delays, it reports once that it has finished, and a failure is reported and stops it.
/// </summary>
public sealed class RealtimeAgentActorTests : TestKit
{
    private const double StepSeconds = 0.05;
    private const double LatencySeconds = 0.05;

    private (IActorRef Agent, TestProbe Coordinator, TestProbe Neighbour, FakeAlgorithm Algorithm) Start(Func<IAsyncObserver, AsyncAgent>? create = null)
    {
        var algorithm = new FakeAlgorithm(0, [1], new ConcurrentQueue<string>());
        var links = new LinkModel(new LatencyDistribution.Constant(LatencySeconds), 1e9, 0, 1);
        var settings = new AsyncSettings(Budget: 1, MaxStaleness: -1, WaitTimeoutS: 1, EvaluatesAfter: _ => false);
        create ??= observer => new AsyncAgent(0, new FakeRuntime(algorithm, 0), [1], links, StepSeconds, ChurnSchedule.None, settings, observer);
        var coordinator = CreateTestProbe();
        var neighbour = CreateTestProbe();
        var clock = Stopwatch.StartNew();
        var agent = Sys.ActorOf(RealtimeAgentActor.Props(0, create, coordinator.Ref, clock, null));
        agent.Tell(new SetNeighbours(new Dictionary<int, IActorRef> { [1] = neighbour.Ref }));
        return (agent, coordinator, neighbour, algorithm);
    }

    [Fact]
    public void The_payload_reaches_the_neighbour_after_step_and_link_time_and_the_agent_reports_its_end_once()
    {
        var (agent, coordinator, neighbour, _) = Start();
        // Scheduled delays are never shorter than asked (the scheduler only rounds up), so the lower bound is safe.
        var arrival = Within(TimeSpan.FromSeconds(StepSeconds + LatencySeconds) * 0.8, TimeSpan.FromSeconds(10), () =>
        {
            agent.Tell(new StartAsync());
            return neighbour.ExpectMsg<RealtimeArrival>();
        });
        Assert.Equal((0, 0L, new TokenPayload(0, 0)), (arrival.From, arrival.Sequence, arrival.Payload));
        Assert.InRange(arrival.Time, StepSeconds + LatencySeconds, StepSeconds + LatencySeconds + 1e-6);

        var last = coordinator.FishForMessage<RealtimeReport>(r => r.Finished, TimeSpan.FromSeconds(10));
        Assert.Equal((0, 8L), (last.AgentId, last.BytesSent));
        Assert.Equal(8, last.BytesByKind["token"]);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));   // finished is reported once
        neighbour.ExpectNoMsg(TimeSpan.FromMilliseconds(100));     // its one-iteration budget is spent
    }

    [Fact]
    public void A_payload_from_the_neighbour_is_combined_in_the_iteration_it_arrives_for()
    {
        var (agent, coordinator, neighbour, algorithm) = Start();
        agent.Tell(new StartAsync());
        agent.Tell(new RealtimeArrival(0.01, 1, 0, new TokenPayload(0, 1)));   // due before the step ends
        neighbour.ExpectMsg<RealtimeArrival>(TimeSpan.FromSeconds(10));
        coordinator.FishForMessage<RealtimeReport>(r => r.Finished, TimeSpan.FromSeconds(10));
        Assert.Equal([(0, 1, 0)], algorithm.Received[(0, 0)]);
    }

    [Fact]
    public void An_agent_that_cannot_be_built_reports_the_failure_and_stops()
    {
        var (agent, coordinator, neighbour, _) = Start(_ => throw new InvalidOperationException("no model"));
        Watch(agent);
        agent.Tell(new StartAsync());
        Assert.Equal(new AgentFailed(0, -1, "InvalidOperationException: no model"), coordinator.ExpectMsg<AgentFailed>());
        ExpectTerminated(agent);
        neighbour.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
