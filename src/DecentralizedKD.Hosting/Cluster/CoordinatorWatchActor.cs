using Akka.Actor;
using Akka.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// On a worker: ends the worker's wait when the coordinator node is lost (unreachable, left) or never shows up within
/// the start timeout — a worker never waits forever.
/// </summary>
public sealed class CoordinatorWatchActor : ReceiveActor, IWithTimers
{
    private sealed record NoCoordinator;

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Address _seed;
    private readonly TimeSpan _startTimeout;
    private readonly TaskCompletionSource<string?> _finished;

    public ITimerScheduler Timers { get; set; } = null!;

    public CoordinatorWatchActor(Address seed, TimeSpan startTimeout, TaskCompletionSource<string?> finished)
    {
        _seed = seed;
        _startTimeout = startTimeout;
        _finished = finished;
        Receive<MemberUp>(m =>
        {
            if (m.Member.HasRole(ClusterAkkaConfig.CoordinatorRole)) Timers.Cancel("start");
        });
        Receive<UnreachableMember>(m => Lost(m.Member, "became unreachable"));
        Receive<MemberRemoved>(m => Lost(m.Member, "left the cluster"));
        Receive<MemberExited>(m => Lost(m.Member, "left the cluster"));
        Receive<IMemberEvent>(_ => { });
        Receive<IReachabilityEvent>(_ => { });
        Receive<NoCoordinator>(_ => _finished.TrySetResult(
            $"no coordinator at {_seed} came up within {_startTimeout.TotalSeconds:0.#}s (cluster.start-timeout); " +
            "check that it runs, that this host can reach it, and that both use the same cluster.tls settings and certificate"));
    }

    public static Props Props(Address seed, TimeSpan startTimeout, TaskCompletionSource<string?> finished) =>
        Akka.Actor.Props.Create(() => new CoordinatorWatchActor(seed, startTimeout, finished));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, SubscriptionInitialStateMode.InitialStateAsEvents, typeof(IMemberEvent), typeof(IReachabilityEvent));
        Timers.StartSingleTimer("start", new NoCoordinator(), _startTimeout);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Lost(Member member, string what)
    {
        if (member.HasRole(ClusterAkkaConfig.CoordinatorRole))
            _finished.TrySetResult($"the coordinator node {member.Address} {what} before the run ended");
    }
}
