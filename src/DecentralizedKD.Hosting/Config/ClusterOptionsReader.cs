using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Hosting.Config;

/// <summary>Reads and checks <c>experiment.cluster.*</c>.</summary>
internal static class ClusterOptionsReader
{
    public static ClusterOptions Read(ConfigReader r)
    {
        var options = new ClusterOptions(
            Workers: r.Int("experiment.cluster.workers", 1, 10_000),
            Placement: r.OneOf("experiment.cluster.placement", ClusterOptions.Placements),
            ChunkBytes: r.ByteSize("experiment.cluster.chunk-size", 4096, 64L << 20),
            HeartbeatPause: r.Duration("experiment.cluster.heartbeat-pause"),
            StartTimeout: r.Duration("experiment.cluster.start-timeout"),
            RegisterRetry: r.Duration("experiment.cluster.register-retry"),
            OnHostLoss: r.OneOf("experiment.cluster.on-host-loss", ClusterOptions.HostLossPolicies));
        Positive("experiment.cluster.heartbeat-pause", options.HeartbeatPause);
        Positive("experiment.cluster.start-timeout", options.StartTimeout);
        Positive("experiment.cluster.register-retry", options.RegisterRetry);
        return options;
    }

    private static void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) throw new Core.InputException($"{key} = {value.TotalSeconds}s: expected a positive duration");
    }
}
