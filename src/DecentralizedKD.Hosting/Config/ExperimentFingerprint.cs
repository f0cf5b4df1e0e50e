using System.Security.Cryptography;
using System.Text;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// A short hash of the resolved config without the keys that may differ between the machines of one cluster run
/// (where the data lives, where results go, compute threads, device, cluster layout): two hosts with equal
/// fingerprints compute the same experiment. A worker started with another experiment is refused.
/// </summary>
public static class ExperimentFingerprint
{
    private static readonly string[] HostLocalKeys =
        ["experiment.dataset.path ", "experiment.output.dir ", "experiment.threads ", "experiment.device ", "experiment.cluster."];

    public static string Of(string resolvedText)
    {
        var lines = resolvedText.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !HostLocalKeys.Any(k => l.StartsWith(k, StringComparison.Ordinal)));
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        return Convert.ToHexString(hash, 0, 8).ToLowerInvariant();
    }
}
