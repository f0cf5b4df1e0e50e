using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>
/// A sweep worker with a probe as the sweep coordinator: it announces itself until answered, keeps one request out per
/// slot, ships each finished run's folder (then deletes it) before asking again, and ends when told or refused.
/// </summary>
public sealed class SweepWorkerActorTests : TestKit
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);
    private readonly string _root = Directory.CreateTempSubdirectory("dkd-sweep-worker-").FullName;

    private (IActorRef Worker, TestProbe Coordinator, TaskCompletionSource<string?> Done) Start(int slots, Func<int, (string, bool, string?)> runOne)
    {
        var coordinator = CreateTestProbe();
        var done = new TaskCompletionSource<string?>();
        var settings = new SweepWorkerSettings(Sys.ActorSelection(coordinator.Ref.Path), "fp", slots, 1 << 20, runOne, Retry, done);
        return (Sys.ActorOf(SweepWorkerActor.Props(settings)), coordinator, done);
    }

    /// <summary>Accepts the worker and takes its <paramref name="slots"/> requests.</summary>
    private static void Accept(TestProbe coordinator, IActorRef worker, int slots)
    {
        coordinator.FishForMessage<SweepWorkerReady>(_ => true);
        worker.Tell(new SweepWorkerAnswer(true, null), coordinator.Ref);
        for (int k = 0; k < slots; k++) coordinator.FishForMessage(m => m is SweepRunRequest);
    }

    [Fact]
    public void The_worker_announces_itself_until_answered_then_asks_once_per_slot_and_stops_announcing()
    {
        var (worker, coordinator, _) = Start(2, _ => ("", true, null));
        Assert.Equal(new SweepWorkerReady("fp", 2), coordinator.ExpectMsg<SweepWorkerReady>());
        Assert.Equal(new SweepWorkerReady("fp", 2), coordinator.ExpectMsg<SweepWorkerReady>(TimeSpan.FromSeconds(5)));   // resent
        worker.Tell(new SweepWorkerAnswer(true, null), coordinator.Ref);
        coordinator.FishForMessage(m => m is SweepRunRequest);   // an announcement may have crossed the answer
        coordinator.ExpectMsg<SweepRunRequest>();
        coordinator.ExpectNoMsg(Retry * 3);
        worker.Tell(new SweepWorkerAnswer(true, null), coordinator.Ref);   // a repeated welcome asks for nothing more
        coordinator.ExpectNoMsg(Retry * 3);
    }

    [Fact]
    public async Task A_refused_worker_ends_with_the_reason_and_asks_for_nothing()
    {
        var (worker, coordinator, done) = Start(1, _ => ("", true, null));
        coordinator.ExpectMsg<SweepWorkerReady>();
        worker.Tell(new SweepWorkerAnswer(false, "it runs another sweep"), coordinator.Ref);
        Assert.Equal("the sweep coordinator refused this worker: it runs another sweep", await Bounded.Within(done.Task, "the worker to end", 30));
        // At most one announcement may have crossed the answer; no request follows.
        var after = coordinator.ReceiveWhile<object>(Retry * 3, m => m);
        Assert.True(after.Count <= 1 && after.All(m => m is SweepWorkerReady), $"sent after the refusal: {string.Join(", ", after)}");
    }

    [Fact]
    public async Task A_finished_run_ships_its_files_in_path_order_deletes_its_folder_and_asks_again_and_the_sweep_end_ends_the_worker()
    {
        string folder = Path.Combine(_root, "run-3");
        var (worker, coordinator, done) = Start(1, i =>
        {
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.WriteAllText(Path.Combine(folder, "metrics.csv"), $"run {i}");
            File.WriteAllText(Path.Combine(folder, "sub", "a.txt"), "a");
            return (folder, true, null);
        });
        Accept(coordinator, worker, 1);
        worker.Tell(new SweepRunAssigned(-1), coordinator.Ref);   // nothing left for the slot: nothing happens
        coordinator.ExpectNoMsg(Retry);
        worker.Tell(new SweepRunAssigned(3), coordinator.Ref);

        var files = coordinator.ExpectMsg<SweepRunFiles>(TimeSpan.FromSeconds(10));
        Assert.Equal((3, true, (string?)null), (files.RunIndex, files.Ok, files.Error));
        Assert.Equal(["metrics.csv", "sub/a.txt"], files.Paths);
        Assert.Equal(["run 3", "a"], files.Contents.Select(System.Text.Encoding.UTF8.GetString));
        coordinator.ExpectMsg<SweepRunRequest>();
        Assert.False(Directory.Exists(folder));

        worker.Tell(new SweepDone(), coordinator.Ref);
        Assert.Null(await Bounded.Within(done.Task, "the worker to end", 30));
    }

    [Fact]
    public void A_run_that_throws_is_reported_as_failed_with_the_exception_and_the_slot_asks_again()
    {
        var (worker, coordinator, _) = Start(1, _ => throw new InvalidOperationException("no data"));
        Accept(coordinator, worker, 1);
        worker.Tell(new SweepRunAssigned(0), coordinator.Ref);
        var files = coordinator.ExpectMsg<SweepRunFiles>(TimeSpan.FromSeconds(10));
        Assert.Equal((0, false, "InvalidOperationException: no data"), (files.RunIndex, files.Ok, files.Error));
        Assert.Empty(files.Paths);
        coordinator.ExpectMsg<SweepRunRequest>();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(_root, recursive: true);
    }
}
