namespace DecentralizedKD.Hosting.Cluster;

/// <summary>The experiment's <c>cluster { }</c> section: how a multi-process run is laid out (never what it computes).</summary>
public sealed record ClusterOptions(
    int Workers,
    string Placement,
    long ChunkBytes,
    TimeSpan HeartbeatPause,
    TimeSpan StartTimeout,
    TimeSpan RegisterRetry,
    string OnHostLoss = "stop")
{
    public static readonly string[] Placements = ["blocks", "round-robin"];

    /// <summary><c>cluster.on-host-loss</c>: stop the run, or continue with the lost host's agents churned for good.</summary>
    public static readonly string[] HostLossPolicies = ["stop", "continue"];

    public bool ContinuesOnHostLoss => OnHostLoss == "continue";

    /// <summary><c>cluster.secret-env</c>: the environment variable holding the run secret ("" = the run has none).</summary>
    public string SecretEnv { get; init; } = "";

    /// <summary><c>cluster.tls</c>: TLS between the hosts (off by default).</summary>
    public ClusterTls Tls { get; init; } = ClusterTls.Off;

    public static ClusterOptions Default { get; } =
        new(1, "blocks", 1 << 20, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
}
