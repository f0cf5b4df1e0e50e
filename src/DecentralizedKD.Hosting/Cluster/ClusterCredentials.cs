using System.Net;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// What a cluster node takes from its environment rather than from a file: the run secret named by
/// <c>experiment.cluster.secret-env</c>. A named variable that is not set is an input error on that host.
/// </summary>
public static class ClusterCredentials
{
    public static RunSecret? Secret(ClusterOptions options)
    {
        if (options.SecretEnv.Length == 0) return null;
        string? value = Environment.GetEnvironmentVariable(options.SecretEnv);
        if (string.IsNullOrEmpty(value))
            throw new InputException($"experiment.cluster.secret-env = {options.SecretEnv}: the environment variable {options.SecretEnv} is not set on this host " +
                                     "(export the run secret there on every host, or set secret-env = \"\" for a run without one)");
        return new RunSecret(value);
    }

    /// <summary>
    /// The one warning a coordinator node without a run secret logs when it listens beyond this machine (null when
    /// it has a secret or binds a loopback address): anyone who reaches its port can join the run.
    /// </summary>
    public static string? UnauthenticatedWarning(NodeEndpoint endpoint, RunSecret? secret)
    {
        if (secret is not null || IsLoopback(endpoint.Hostname)) return null;
        return $"coordinator node listens on {endpoint.Hostname} without a run secret: the cluster is unauthenticated, any process that reaches " +
               "its port can join the run (set experiment.cluster.secret-env, and cluster.tls; see docs/security.md)";
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
