using System.Globalization;
using Akka.Configuration;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>Where a cluster node listens: bind <paramref name="Hostname"/>:<paramref name="Port"/> (0 = any free port),
/// advertised to peers as <paramref name="PublicHostname"/> when given.</summary>
public sealed record NodeEndpoint(string Hostname = "127.0.0.1", int Port = 0, string? PublicHostname = null);

/// <summary>
/// The actor-system config of one cluster node: akka.conf + hocon/cluster.conf + its role, address, frame size and
/// failure-detector pause.
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
    public static long LargestMessage(ExperimentSetup setup)
    {
        long largest = 4L * setup.LargestParameterCount;
        foreach (long bytes in setup.PayloadBytesPerExchange()) largest = Math.Max(largest, bytes);
        return largest + 4L * setup.Config.Agents + 1024;
    }

    /// <summary>
    /// Messages above this size are chunked: the configured chunk size, but no larger than the experiment's largest
    /// message (a frame never needs to be bigger than that) and no smaller than <see cref="MinChunk"/>.
    /// A message larger than the analytic estimate is still safe: it is chunked.
    /// </summary>
    public static long ChunkBytes(ExperimentSetup setup, ClusterOptions options) =>
        Math.Max(MinChunk, Math.Min(options.ChunkBytes, LargestMessage(setup)));

    public static long FrameBytes(long chunkBytes) => chunkBytes + FrameMargin;

    public static Akka.Configuration.Config ForNode(string role, NodeEndpoint endpoint, int computeThreads, long chunkBytes, ClusterOptions options)
    {
        string pause = ((long)options.HeartbeatPause.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        string publicHost = endpoint.PublicHostname is null ? "" : $"public-hostname = \"{endpoint.PublicHostname}\"";
        var node = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = "{{endpoint.Hostname}}"
              {{publicHost}}
              port = {{endpoint.Port}}
              maximum-frame-size = {{FrameBytes(chunkBytes)}}b
              enable-ssl = {{(options.Tls.Enabled ? "on" : "off")}}
            }
            akka.cluster.roles = [{{role}}]
            akka.cluster.role.{{WorkerRole}}.min-nr-of-members = {{options.Workers}}
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {{pause}}
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = {{pause}}
            """);
        var cluster = ConfigurationFactory.ParseString(EmbeddedText.Read("DecentralizedKD.cluster.conf"));
        return node.WithFallback(cluster).WithFallback(WireBindings()).WithFallback(AkkaSettings.ForLocalRun(computeThreads));
    }

    /// <summary>
    /// Starts a node's actor system (with <paramref name="tls"/>: its certificate handed to the transport); an address
    /// that cannot be bound (port in use, unknown host) or a certificate that cannot be loaded is an input error.
    /// </summary>
    public static Akka.Actor.ActorSystem CreateSystem(NodeEndpoint endpoint, Akka.Configuration.Config config, ClusterTls tls)
    {
        var bootstrap = Akka.Actor.BootstrapSetup.Create().WithConfig(config);
        var setup = ClusterTlsSetup.For(tls) is { } ssl
            ? Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap, ssl)
            : Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap);
        try { return Akka.Actor.ActorSystem.Create(SystemName, setup); }
        catch (Exception e) when (e is not Core.InputException)
        {
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            throw new Core.InputException($"cannot start a cluster node on {endpoint.Hostname}:{endpoint.Port}: {inner.Message}");
        }
    }

    /// <summary>hocon/wire.conf: the wire serializer and every message bound to it.</summary>
    public static Akka.Configuration.Config WireBindings() => ConfigurationFactory.ParseString(EmbeddedText.Read("DecentralizedKD.wire.conf"));
}
