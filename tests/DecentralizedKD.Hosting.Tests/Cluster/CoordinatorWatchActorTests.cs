using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.TestSupport;
using Xunit;
using static Akka.Cluster.ClusterEvent;

namespace DecentralizedKD.Hosting.Tests.Cluster;

/// <summary>
/// A worker's watch on the coordinator node, fed membership events directly. The members in them are real: the
/// coordinator is a second node that joined itself (so its member is Up), the worker is this test's node, which never
/// joins (so the watch hears nothing else). It ends the worker's wait when the coordinator is lost or never comes up,
/// and only then.
/// </summary>
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class CoordinatorWatchActorTests() : TestKit(Node(ClusterAkkaConfig.WorkerRole))
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMilliseconds(300);
    private readonly ActorSystem _coordinatorNode = ActorSystem.Create("coordinator", Node(ClusterAkkaConfig.CoordinatorRole));

    private static Akka.Configuration.Config Node(string role) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.roles = [{{role}}]
        """);

    private Member Worker => Akka.Cluster.Cluster.Get(Sys).SelfMember;   // status Removed: it never joined
    private Address Seed => Akka.Cluster.Cluster.Get(_coordinatorNode).SelfAddress;

    /// <summary>The coordinator node's member once it is Up (it joins itself on first use).</summary>
    private async Task<Member> CoordinatorUp()
    {
        var cluster = Akka.Cluster.Cluster.Get(_coordinatorNode);
        cluster.Join(cluster.SelfAddress);
        await Bounded.Until(() => cluster.SelfMember.Status == MemberStatus.Up, "the coordinator node to be Up", 30);
        return cluster.SelfMember;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _coordinatorNode.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.Dispose(disposing);
    }

    private (IActorRef Watch, TaskCompletionSource<string?> Finished) Start()
    {
        var finished = new TaskCompletionSource<string?>();
        return (Sys.ActorOf(CoordinatorWatchActor.Props(Seed, StartTimeout, finished)), finished);
    }

    private static async Task<bool> EndsWithin(Task task, TimeSpan wait) => await Task.WhenAny(task, Task.Delay(wait)) == task;

    [Fact]
    public async Task No_coordinator_within_the_start_timeout_ends_the_wait_with_what_to_check()
    {
        var (watch, finished) = Start();
        watch.Tell(new UnreachableMember(Worker));   // a worker's trouble is not the coordinator's loss
        Assert.Equal($"no coordinator at {Seed} came up within 0.3s (cluster.start-timeout); check that it runs, that this host " +
            "can reach it, and that both use the same cluster.tls settings and certificate", await Bounded.Within(finished.Task, "the watch to give up", 10));
    }

    [Fact]
    public async Task A_coordinator_that_came_up_stops_the_start_timeout_and_only_its_loss_ends_the_wait()
    {
        var coordinator = await CoordinatorUp();
        var (watch, finished) = Start();
        watch.Tell(new MemberUp(coordinator));
        watch.Tell(new UnreachableMember(Worker));
        watch.Tell(new MemberRemoved(Worker, MemberStatus.Exiting));
        Assert.False(await EndsWithin(finished.Task, StartTimeout * 3), "the wait ended although the coordinator is up");

        watch.Tell(new UnreachableMember(coordinator));
        Assert.Equal($"the coordinator node {Seed} became unreachable before the run ended", await Bounded.Within(finished.Task, "the watch to end", 10));
    }

    [Fact]
    public async Task A_coordinator_that_leaves_ends_the_wait()
    {
        var coordinator = await CoordinatorUp();
        var exiting = coordinator.Copy(MemberStatus.Leaving).Copy(MemberStatus.Exiting);
        var (exited, exitedDone) = Start();
        exited.Tell(new MemberUp(coordinator));
        exited.Tell(new MemberExited(exiting));
        Assert.Equal($"the coordinator node {Seed} left the cluster before the run ended", await Bounded.Within(exitedDone.Task, "the watch to end", 10));

        var (removed, removedDone) = Start();
        removed.Tell(new MemberRemoved(exiting.Copy(MemberStatus.Removed), MemberStatus.Exiting));
        Assert.Equal($"the coordinator node {Seed} left the cluster before the run ended", await Bounded.Within(removedDone.Task, "the watch to end", 10));
    }
}
