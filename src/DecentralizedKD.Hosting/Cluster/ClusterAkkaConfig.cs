using Akka.Configuration;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>Where a cluster node listens: bind <paramref name="Hostname"/>:<paramref name="Port"/> (0 = any free port),
/// advertised to peers as <paramref name="PublicHostname"/> when given.</summary>
public sealed record NodeEndpoint(string Hostname = "127.0.0.1", int Port = 0, string? PublicHostname = null);

/// <summary>
/// The actor-system config of one cluster node: akka.conf + hocon/cluster.conf + hocon/wire.conf + its own
/// <see cref="ClusterNodeSettings"/> (role, address, frame size, failure-detector pause). <see cref="ClusterBootstrap"/>
/// starts a node with it.
/// </summary>
public static class ClusterAkkaConfig
{
    public const string SystemName = "dkd";
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    /// <summary>Room in a frame for Akka's envelope (recipient/sender paths, manifest) and a chunk's own header.</summary>
    public const long FrameMargin = 64 * 1024;

    /// <summary>No chunk or frame smaller than this (control messages such as SetNeighbours must always fit whole).</summary>
    public const long MinChunk = 256 * 1024;

    /// <summary>
    /// The largest message of this experiment that can cross hosts, analytically: a payload of any exchange or a full
    /// parameter vector (evaluation reports; the largest agent model's when agents' models differ), plus headers.
    /// </summary>
    public static long LargestMessage(RunPlan plan)
    {
        long largest = 4L * plan.LargestParameterCount;
        foreach (long bytes in plan.PayloadBytesPerExchange()) largest = Math.Max(largest, bytes);
        return largest + 4L * plan.Config.Agents + 1024;
    }

    /// <summary>
    /// Messages above this size are chunked: the configured chunk size, but no larger than the experiment's largest
    /// message (a frame never needs to be bigger than that) and no smaller than <see cref="MinChunk"/>.
    /// A message larger than the analytic estimate is still safe: it is chunked.
    /// </summary>
    public static long ChunkBytes(RunPlan plan, ClusterOptions options) =>
        Math.Max(MinChunk, Math.Min(options.ChunkBytes, LargestMessage(plan)));

    public static long FrameBytes(long chunkBytes) => chunkBytes + FrameMargin;

    /// <summary>
    /// The whole config of a cluster node: its own settings (typed, <see cref="ClusterNodeSettings.ToHocon"/>) over
    /// hocon/cluster.conf, hocon/wire.conf and akka.conf with its compute threads.
    /// </summary>
    public static Akka.Configuration.Config ForNode(ClusterNodeSettings node)
    {
        var cluster = ConfigurationFactory.ParseString(EmbeddedText.Read("DecentralizedKD.cluster.conf"));
        return node.ToHocon().Build().WithFallback(cluster).WithFallback(WireBindings()).WithFallback(AkkaSettings.ForLocalRun(node.ComputeThreads));
    }

    /// <summary>hocon/wire.conf: the wire serializer and every message bound to it.</summary>
    public static Akka.Configuration.Config WireBindings() => ConfigurationFactory.ParseString(EmbeddedText.Read("DecentralizedKD.wire.conf"));
}
