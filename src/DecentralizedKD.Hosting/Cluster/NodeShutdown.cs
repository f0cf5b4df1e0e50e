using Akka.Actor;

namespace DecentralizedKD.Hosting.Cluster;

public static class NodeShutdown
{
    /// <summary>Terminate runs coordinated shutdown (cluster.conf), so the node leaves the cluster rather than vanishing.</summary>
    public static async Task Stop(ActorSystem system)
    {
        await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(15)));
    }
}
