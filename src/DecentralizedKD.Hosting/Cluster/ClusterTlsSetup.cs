using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// <c>experiment.cluster.tls</c> mapped onto Akka.Remote's DotNetty transport: <c>enable-ssl</c> in the node's config
/// (<see cref="ClusterAkkaConfig.ForNode"/>) and a <see cref="DotNettySslSetup"/> with the run's certificate, loaded
/// here so its password (from the environment) never enters a config object. Both ends present a certificate (mutual
/// TLS); unless validation is suppressed a peer is accepted only when it presents this very certificate — every host
/// of a run shares one — so a host with another certificate, or none, cannot associate with any host of the run.
/// </summary>
public static class ClusterTlsSetup
{
    /// <summary>The transport's TLS setup, or null when TLS is off. Unreadable files and wrong passwords are input errors.</summary>
    public static DotNettySslSetup? For(ClusterTls tls)
    {
        if (!tls.Enabled) return null;
        var certificate = Load(tls);
        return tls.SuppressValidation
            ? new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: true)
            : new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, customValidator: SameCertificate(certificate));
    }

    private static X509Certificate2 Load(ClusterTls tls)
    {
        const string key = "experiment.cluster.tls.certificate";
        if (tls.Certificate.Length == 0)
            throw new InputException($"experiment.cluster.tls.enabled = true: expected {key} = \"path/to/cert.pfx\" (or dkd host --tls-cert FILE)");
        if (!File.Exists(tls.Certificate)) throw new InputException($"{key} = '{tls.Certificate}': no such file (expected a PKCS#12 .pfx file)");
        string? password = Environment.GetEnvironmentVariable(tls.PasswordEnv);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.Certificate, password);
        }
        catch (CryptographicException)
        {
            // The exception's text is not repeated: it says nothing useful and the password must never be echoed.
            throw new InputException($"{key} = '{tls.Certificate}': cannot read it as a PKCS#12 (.pfx) file with the password in " +
                                     $"the environment variable {tls.PasswordEnv}" + (password is null ? " (which is not set)" : ""));
        }
        if (!certificate.HasPrivateKey)
            throw new InputException($"{key} = '{tls.Certificate}': the certificate has no private key (export the .pfx with its key)");
        return certificate;
    }

    /// <summary>
    /// Accepts a peer that presents the run's own certificate (compared by SHA-256 hash, so a self-signed one needs no
    /// trust store); any other is refused, logged once per distinct certificate however often its host retries.
    /// </summary>
    private static CertificateValidationCallback SameCertificate(X509Certificate2 own)
    {
        string ownHash = own.GetCertHashString(HashAlgorithmName.SHA256);
        var logged = new ConcurrentDictionary<string, bool>();
        return (certificate, _, peer, _, log) =>
        {
            string? hash = certificate?.GetCertHashString(HashAlgorithmName.SHA256);
            if (hash == ownHash) return true;
            if (logged.TryAdd(hash ?? "", true))
                log.Warning("TLS: refused {0}: it presents {1}, not this run's certificate (experiment.cluster.tls.certificate)", peer,
                    certificate is null ? "no certificate" : $"certificate {certificate.Subject} (SHA-256 {hash})");
            return false;
        };
    }
}
