using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Hosting.Config;

/// <summary>Reads and checks <c>experiment.cluster.*</c>.</summary>
internal static class ClusterOptionsReader
{
    public static ClusterOptions Read(ConfigReader r)
    {
        var options = new ClusterOptions(
            Workers: r.Int("experiment.cluster.workers", 1, 10_000),
            Placement: r.Keyword("experiment.cluster.placement", ClusterOptions.Placements),
            ChunkBytes: r.ByteSize("experiment.cluster.chunk-size", 4096, 64L << 20),
            HeartbeatPause: r.Duration("experiment.cluster.heartbeat-pause"),
            StartTimeout: r.Duration("experiment.cluster.start-timeout"),
            RegisterRetry: r.Duration("experiment.cluster.register-retry"),
            OnHostLoss: r.Keyword("experiment.cluster.on-host-loss", ClusterOptions.HostLossPolicies))
        {
            SecretEnv = EnvironmentVariableName(r, "experiment.cluster.secret-env", allowEmpty: true),
            Tls = new ClusterTls(
                Enabled: r.Bool("experiment.cluster.tls.enabled"),
                Certificate: r.String("experiment.cluster.tls.certificate"),
                PasswordEnv: EnvironmentVariableName(r, "experiment.cluster.tls.password-env", allowEmpty: false),
                SuppressValidation: r.Bool("experiment.cluster.tls.suppress-validation")),
        };
        Positive("experiment.cluster.heartbeat-pause", options.HeartbeatPause);
        Positive("experiment.cluster.start-timeout", options.StartTimeout);
        Positive("experiment.cluster.register-retry", options.RegisterRetry);
        return options;
    }

    /// <summary>
    /// A key that names an environment variable (the value itself stays out of every file): capital letters, digits
    /// and underscores, not starting with a digit. So narrow a rule refuses most secrets pasted here by mistake — and
    /// the refusal does not repeat the value, which config.conf and the logs would otherwise carry.
    /// </summary>
    private static string EnvironmentVariableName(ConfigReader r, string key, bool allowEmpty)
    {
        string name = r.String(key);
        if (name.Length == 0 && allowEmpty) return name;
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new Core.InputException($"{key}: expected the name of an environment variable (A-Z, 0-9, _), not the secret itself");
        return name;
    }

    private static void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) throw new Core.InputException($"{key} = {value.TotalSeconds}s: expected a positive duration");
    }
}
