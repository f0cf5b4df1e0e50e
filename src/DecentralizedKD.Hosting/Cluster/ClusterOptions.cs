using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>The experiment's <c>cluster { }</c> section: how a multi-process run is laid out (never what it computes).</summary>
public sealed record ClusterOptions(
    int Workers,
    PlacementKind Placement,
    long ChunkBytes,
    TimeSpan HeartbeatPause,
    TimeSpan StartTimeout,
    TimeSpan RegisterRetry,
    HostLossPolicy OnHostLoss = HostLossPolicy.Stop)
{
    public static readonly KeywordTable<PlacementKind> Placements = new(("blocks", PlacementKind.Blocks), ("round-robin", PlacementKind.RoundRobin));

    /// <summary><c>cluster.on-host-loss</c>: stop the run, or continue with the lost host's agents churned for good.</summary>
    public static readonly KeywordTable<HostLossPolicy> HostLossPolicies = new(("stop", HostLossPolicy.Stop), ("continue", HostLossPolicy.Continue));

    public bool ContinuesOnHostLoss => OnHostLoss == HostLossPolicy.Continue;

    /// <summary><c>cluster.secret-env</c>: the environment variable holding the run secret ("" = the run has none).</summary>
    public string SecretEnv { get; init; } = "";

    /// <summary><c>cluster.tls</c>: TLS between the hosts (off by default).</summary>
    public ClusterTls Tls { get; init; } = ClusterTls.Off;

    public static ClusterOptions Default { get; } =
        new(1, PlacementKind.Blocks, 1 << 20, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
}

/// <summary><c>cluster.placement</c>: contiguous id blocks per host, or ids dealt round-robin.</summary>
public enum PlacementKind { Blocks, RoundRobin }

/// <summary><c>cluster.on-host-loss</c>: what a lost worker host means for the run.</summary>
public enum HostLossPolicy { Stop, Continue }
