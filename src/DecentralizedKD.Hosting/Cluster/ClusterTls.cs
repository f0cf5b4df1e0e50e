namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// <c>experiment.cluster.tls</c>: TLS between the hosts of a run (Akka.Remote's DotNetty transport). Every host loads
/// the same PKCS#12 <paramref name="Certificate"/> (its password from the environment variable named by
/// <paramref name="PasswordEnv"/>, never from a file), presents it and accepts a peer only when the peer presents that
/// same certificate — unless <paramref name="SuppressValidation"/>, which encrypts but accepts any certificate.
/// </summary>
public sealed record ClusterTls(bool Enabled, string Certificate, string PasswordEnv, bool SuppressValidation)
{
    public const string DefaultPasswordEnv = "DKD_TLS_PASSWORD";

    public static ClusterTls Off { get; } = new(false, "", DefaultPasswordEnv, false);

    /// <summary>The overrides of <c>dkd host --tls-cert FILE</c>: TLS on with this certificate (made absolute, quoted for HOCON).</summary>
    public static string[] CommandLineSets(string certificateFile) =>
        ["cluster.tls.enabled=true", $"cluster.tls.certificate={Config.HoconText.Quote(Path.GetFullPath(certificateFile))}"];
}
