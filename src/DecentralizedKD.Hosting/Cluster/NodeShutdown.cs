using Akka.Actor;

namespace DecentralizedKD.Hosting.Cluster;

public static class NodeShutdown
{
    /// <summary>Terminate runs coordinated shutdown (cluster.conf), so the node leaves the cluster rather than vanishing.</summary>
    public static async Task Stop(ActorSystem system)
    {
        await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(15)));
    }

    /// <summary>
    /// A coordinator node's exit: once its work is <paramref name="over"/>, it gives the workers (told it is over) a few
    /// seconds to leave first — a coordinator vanishing under a leaving worker only produces noisy association errors —
    /// then leaves the cluster and stops the actor system.
    /// </summary>
    public static async Task StopAfterWorkersLeave(ActorSystem system, Func<bool> over)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (over() && DateTime.UtcNow < deadline && cluster.State.Members.Any(m => m.HasRole(ClusterAkkaConfig.WorkerRole)))
            await Task.Delay(100);
        await Stop(system);
    }
}
