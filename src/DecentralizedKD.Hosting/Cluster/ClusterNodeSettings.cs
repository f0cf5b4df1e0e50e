namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// What one cluster node's actor system is set up with on top of hocon/akka.conf, hocon/cluster.conf and
/// hocon/wire.conf: its role, where it listens, its compute threads, its frame size (from the chunk size), how many
/// workers the cluster waits for, the failure detectors' pause and whether the transport uses TLS. Typed, and written
/// out by <see cref="HoconBuilder"/> (quoted, invariant) rather than by string interpolation.
/// </summary>
public sealed record ClusterNodeSettings(string Role, NodeEndpoint Endpoint, int ComputeThreads, long ChunkBytes, int Workers, TimeSpan HeartbeatPause, bool Tls)
{
    private const string Tcp = "akka.remote.dot-netty.tcp";

    public static ClusterNodeSettings For(string role, NodeEndpoint endpoint, int computeThreads, long chunkBytes, ClusterOptions options) =>
        new(role, endpoint, computeThreads, chunkBytes, options.Workers, options.HeartbeatPause, options.Tls.Enabled);

    public long FrameBytes => ClusterAkkaConfig.FrameBytes(ChunkBytes);

    /// <summary>This node's own settings (the embedded files are added by <see cref="ClusterAkkaConfig.ForNode(ClusterNodeSettings)"/>).</summary>
    public HoconBuilder ToHocon()
    {
        var hocon = new HoconBuilder().Set($"{Tcp}.hostname", Endpoint.Hostname);
        if (Endpoint.PublicHostname is { } publicHostname) hocon.Set($"{Tcp}.public-hostname", publicHostname);
        return hocon
            .Set($"{Tcp}.port", Endpoint.Port)
            .SetBytes($"{Tcp}.maximum-frame-size", FrameBytes)
            .Set($"{Tcp}.enable-ssl", Tls)
            .Set("akka.cluster.roles", [Role])
            .Set($"akka.cluster.role.{ClusterAkkaConfig.WorkerRole}.min-nr-of-members", Workers)
            .Set("akka.cluster.failure-detector.acceptable-heartbeat-pause", HeartbeatPause)
            .Set("akka.remote.watch-failure-detector.acceptable-heartbeat-pause", HeartbeatPause);
    }
}
