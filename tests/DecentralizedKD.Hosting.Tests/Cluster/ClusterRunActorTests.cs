using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Hosting.Tests.Cluster;

/// <summary>
/// The coordinator node's run actor with the test's node as the coordinator and real worker nodes joined to it, whose
/// /user/host is a stand-in: it hands what it receives to a probe and sends what the test tells it to, as the host.
/// Claims: the assignment (placement, fingerprint) is resent until answered; a host's rejection, its leaving and a start
/// that never completes end the run with a message naming the host; messages from anyone but a host are dropped and
/// counted.
/// </summary>
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ClusterRunActorTests() : TestKit(Node(ClusterAkkaConfig.CoordinatorRole))
{
    private static readonly TimeSpan Join = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> _workers = [];

    private static Akka.Configuration.Config Node(string role) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.roles = [{{role}}]
        """).WithFallback(ClusterAkkaConfig.WireBindings());

    /// <summary>Test → stand-in: send <paramref name="Message"/> to <paramref name="To"/> as the host.</summary>
    private sealed record Say(IActorRef To, object Message);

    private sealed class HostStandIn : ReceiveActor
    {
        public HostStandIn(IActorRef seen)
        {
            Receive<Say>(m => m.To.Tell(m.Message, Self));
            ReceiveAny(m => seen.Forward(m));
        }
    }

    private sealed record Worker(ActorSystem Node, IActorRef Host, TestProbe Seen)
    {
        public Address Address => Akka.Cluster.Cluster.Get(Node).SelfAddress;

        /// <summary>Sends <paramref name="message"/> as the host to whoever sent the host its last message.</summary>
        public void Answer(object message) => Host.Tell(new Say(Seen.LastSender, message));
    }

    private Worker StartWorker()
    {
        // Cluster members share their actor system's name.
        var node = ActorSystem.Create(Sys.Name, Node(ClusterAkkaConfig.WorkerRole));
        _workers.Add(node);
        var seen = CreateTestProbe();
        var host = node.ActorOf(Props.Create(() => new HostStandIn(seen.Ref)), "host");
        Akka.Cluster.Cluster.Get(node).Join(Akka.Cluster.Cluster.Get(Sys).SelfAddress);
        return new Worker(node, host, seen);
    }

    private (IActorRef Run, TaskCompletionSource<ClusterRunResult> Done) StartRun(int workers, TimeSpan startTimeout)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        var options = ClusterOptions.Default with { Workers = workers, StartTimeout = startTimeout, RegisterRetry = TimeSpan.FromMilliseconds(300) };
        var coordinator = new CoordinatorSettings(2, 3, [[1], [0]], r => r == 3, r => r);
        var done = new TaskCompletionSource<ClusterRunResult>();
        var run = Sys.ActorOf(ClusterRunActor.Props(new ClusterRunSettings(coordinator, null, null, options, "fp", options.ChunkBytes), done), "run");
        return (run, done);
    }

    private static Task<ClusterRunResult> Result(TaskCompletionSource<ClusterRunResult> done) => Bounded.Within(done.Task, "the run to end", 30);

    [Fact]
    public async Task The_assignment_is_resent_until_answered_and_a_rejection_ends_the_run_naming_the_host_while_strangers_are_dropped()
    {
        var (run, done) = StartRun(workers: 1, startTimeout: TimeSpan.FromSeconds(60));
        var worker = StartWorker();
        var assignment = worker.Seen.ExpectMsg<AssignAgents>(Join);
        Assert.Equal((0, "fp"), (assignment.HostIndex, assignment.Fingerprint));
        Assert.Equal([0, 1], assignment.AgentIds);
        Assert.Equal([0, 0], assignment.HostOfAgent);
        Assert.Equal(worker.Host.Path, Assert.Single(assignment.Hosts).Path);
        worker.Seen.ExpectMsg<AssignAgents>(TimeSpan.FromSeconds(10));   // resent: the host has not answered

        // Not a host of the run: dropped, whatever it says.
        var stranger = CreateTestProbe();
        run.Tell(new HostRejected(0, "forged"), stranger.Ref);
        run.Tell(new AbortRun("forged"), stranger.Ref);
        Assert.False(await Task.WhenAny(done.Task, Task.Delay(300)) == done.Task, "a stranger ended the run");

        worker.Answer(new HostRejected(0, "was started with a different experiment"));
        string error = $"worker host {worker.Address} (worker 0, agents 0-1) was started with a different experiment";
        Assert.Equal(error, worker.Seen.FishForMessage<RunFinished>(_ => true, TimeSpan.FromSeconds(10)).Error);
        worker.Answer(new HostWireStats(0, new Dictionary<string, long>(), new Dictionary<string, long>()) { Dropped = 3 });

        var result = await Result(done);
        Assert.Equal(error, result.Run.Error);
        var host = Assert.Single(result.Hosts);
        Assert.Equal((0, worker.Address.ToString(), 3L), (host.Index, host.Address, host.Wire!.Dropped));
        Assert.Equal(2, Assert.Single(result.Dropped).Value);   // both of the stranger's messages, from this node
    }

    [Fact]
    public async Task A_host_that_leaves_before_registering_ends_the_run_without_waiting_for_its_counters()
    {
        var (_, done) = StartRun(workers: 1, startTimeout: TimeSpan.FromSeconds(60));
        var worker = StartWorker();
        worker.Seen.ExpectMsg<AssignAgents>(Join);
        Akka.Cluster.Cluster.Get(worker.Node).Leave(worker.Address);
        var result = await Result(done);
        Assert.Equal($"worker host {worker.Address} (worker 0, agents 0-1) left the cluster before the run started", result.Run.Error);
        Assert.Null(Assert.Single(result.Hosts).Wire);
    }

    [Fact]
    public async Task A_host_actor_that_stops_mid_run_while_its_node_stays_up_ends_the_run_naming_the_host()
    {
        var (_, done) = StartRun(workers: 1, startTimeout: TimeSpan.FromSeconds(60));
        var worker = StartWorker();
        worker.Seen.ExpectMsg<AssignAgents>(Join);
        var agents = new[] { CreateTestProbe(), CreateTestProbe() };
        worker.Answer(new AgentsRegistered(0, [0, 1], [agents[0].Ref, agents[1].Ref]));
        agents[0].ExpectMsg<SetNeighbours>(TimeSpan.FromSeconds(10));   // the run started on the registered agents

        // The host actor stops; its node stays Up, so only death watch can tell.
        worker.Node.Stop(worker.Host);
        var result = await Result(done);
        Assert.Equal($"worker host {worker.Address} (worker 0, agents 0-1) stopped in round 0", result.Run.Error);
    }

    [Fact]
    public async Task Too_few_workers_within_the_start_timeout_end_the_run_saying_how_many_came()
    {
        var (_, done) = StartRun(workers: 2, startTimeout: TimeSpan.FromSeconds(3));
        var worker = StartWorker();
        await Bounded.Until(() => Akka.Cluster.Cluster.Get(worker.Node).SelfMember.Status == Akka.Cluster.MemberStatus.Up, "the worker to be Up", 30);
        var result = await Result(done);
        Assert.Equal("only 0 of 2 worker hosts (1 Up) registered within 3s (cluster.start-timeout)", result.Run.Error);
        Assert.Empty(result.Hosts);
        worker.Seen.ExpectNoMsg(TimeSpan.FromMilliseconds(100));   // nothing was placed
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Task.WaitAll([.. _workers.Select(w => w.Terminate())], TimeSpan.FromSeconds(20));
        base.Dispose(disposing);
    }
}
