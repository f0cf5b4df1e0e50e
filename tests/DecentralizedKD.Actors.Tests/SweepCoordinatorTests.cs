using Akka.Actor;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>The sweep coordinator's work pulling: slots get runs in order, a lost worker's runs go to a waiting slot.</summary>
public sealed class SweepCoordinatorTests : TestKit
{
    private (IActorRef Coordinator, TaskCompletionSource<string?> Done, List<int> Stored) Start(params int[] pending)
    {
        var done = new TaskCompletionSource<string?>();
        var stored = new List<int>();
        var coordinator = Sys.ActorOf(SweepCoordinatorActor.Props(new SweepCoordinatorSettings(pending, "fp", m => stored.Add(m.RunIndex), done)));
        return (coordinator, done, stored);
    }

    private static SweepRunFiles Files(int run) => new(run, true, null, [], []);

    [Fact]
    public async Task A_lost_workers_run_goes_to_a_slot_that_found_the_queue_empty()
    {
        var (coordinator, done, stored) = Start(0, 1);
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        coordinator.Tell(new SweepWorkerReady("fp", 1), a);
        a.ExpectMsg<SweepWorkerAnswer>(m => Assert.True(m.Accepted));
        coordinator.Tell(new SweepWorkerReady("fp", 1), b);
        b.ExpectMsg<SweepWorkerAnswer>(m => Assert.True(m.Accepted));
        coordinator.Tell(new SweepRunRequest(), a);
        a.ExpectMsg<SweepRunAssigned>(m => Assert.Equal(0, m.RunIndex));
        coordinator.Tell(new SweepRunRequest(), b);
        b.ExpectMsg<SweepRunAssigned>(m => Assert.Equal(1, m.RunIndex));
        coordinator.Tell(Files(0), a);
        coordinator.Tell(new SweepRunRequest(), a);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));   // nothing left: the slot waits
        Sys.Stop(b.Ref);                                  // b is lost holding run 1
        a.ExpectMsg<SweepRunAssigned>(m => Assert.Equal(1, m.RunIndex), TimeSpan.FromSeconds(30));
        coordinator.Tell(Files(1), a);
        a.ExpectMsg<SweepDone>();
        Assert.Null(await Bounded.Within(done.Task, "the sweep to end", 30));
        Assert.Equal([0, 1], stored);
    }

    [Fact]
    public void A_worker_of_another_sweep_is_refused_and_a_late_answer_of_a_lost_worker_is_ignored()
    {
        var (coordinator, _, stored) = Start(0);
        var stranger = CreateTestProbe();
        coordinator.Tell(new SweepWorkerReady("other", 1), stranger);
        stranger.ExpectMsg<SweepWorkerAnswer>(m => Assert.False(m.Accepted));
        coordinator.Tell(new SweepRunRequest(), stranger);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(Files(0), stranger);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Empty(stored);
    }
}
