using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// TLS between the hosts of a run (experiment.cluster.tls), three ActorSystems in this process with a self-signed
/// certificate made in a temporary directory: the same metrics as without TLS; a worker without TLS or with another
/// certificate never joins, and the run completes with the right workers.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ClusterTlsTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "pfx-password-7c1e";

    // 5 agents over 2 workers in blocks.
    private static readonly string[] Small =
        ["agents=5", "rounds=6", "eval-every=3", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp",
         "model.hidden=[16]", "threads=1", "cluster.workers=2"];

    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-tls-").FullName;
    private readonly string _passwordEnv = $"DKD_TEST_TLS_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";

    public void Dispose() => Directory.Delete(_dir, true);

    private string[] Tls(string certificate) =>
    [
        "cluster.tls.enabled=true", $"cluster.tls.certificate=\"{certificate}\"", $"cluster.tls.password-env={_passwordEnv}",
    ];

    [Fact]
    public async Task A_tls_cluster_gives_the_plain_metrics_and_workers_without_tls_or_with_another_certificate_never_join()
    {
        Environment.SetEnvironmentVariable(_passwordEnv, Password);
        string runCertificate = SelfSignedCertificate.CreatePfx(_dir, "run", Password);
        string otherCertificate = SelfSignedCertificate.CreatePfx(_dir, "other", Password);
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, .. Tls(runCertificate)]);
        // The intruders give up after a few seconds (cluster.start-timeout is host-local: the fingerprint is the same).
        var plain = ExperimentConfigLoader.Load(null, [.. Small, "cluster.start-timeout=8s"]);
        var other = ExperimentConfigLoader.Load(null, [.. Small, .. Tls(otherCertificate), "cluster.start-timeout=8s"]);
        Assert.Equal(loaded.Fingerprint, other.Fingerprint);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        await using var cluster = InProcessCluster.StartCoordinator(loaded, setup);
        var coordinator = cluster.Coordinator;
        var warnings = new WarningLog(coordinator.System);
        Assert.Equal("akka.ssl.tcp", coordinator.Address.Protocol);
        // A plain worker given the coordinator's address is told at once that it needs TLS ...
        var mismatch = Assert.Throws<Core.InputException>(() => cluster.AddWorker(startedWith: plain));
        Assert.StartsWith($"seed node {coordinator.Address}: the coordinator uses TLS (akka.ssl.tcp) and this host does not", mismatch.Message);
        // ... and one that speaks plain TCP to the coordinator's port anyway fails the TLS handshake, as does another certificate.
        var plainAddress = new Akka.Actor.Address("akka.tcp", coordinator.Address.System, coordinator.Address.Host, coordinator.Address.Port);
        var intruders = new[] { cluster.AddWorker(startedWith: plain, seed: plainAddress), cluster.AddWorker(startedWith: other) };
        var workers = Enumerable.Range(0, 2).Select(_ => cluster.AddWorker()).ToArray();
        var result = await cluster.Result(90);
        Assert.Null(result.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, result.Run.FinalAgentAccuracies);
        Assert.Equal(workers.Select(w => w.Address.ToString()).Order(), result.Hosts.Select(h => h.Address).Order());

        // Neither intruder ever became a member (the hosts above are the right workers); each ends on its own.
        foreach (var intruder in intruders)
        {
            string? reason = await intruder.Finished.WaitAsync(TimeSpan.FromSeconds(60));
            output.WriteLine($"{intruder.Address}: {reason}");
            Assert.NotNull(reason);
        }
        // The host with another certificate is named once, however often it retried.
        var refused = warnings.Lines.Where(l => l.StartsWith("TLS: refused")).ToArray();
        foreach (var line in refused) output.WriteLine(line);
        Assert.Single(refused, l => l.Contains("CN=dkd-test-other"));
        // The plain-TCP connection attempts fail the TLS handshake on the coordinator node (Akka.Remote's own line).
        Assert.Contains(warnings.Lines, l => l.Contains("due to TLS handshake failure"));
        Assert.All(warnings.Lines, l => Assert.DoesNotContain(Password, l));
    }

    [Fact]
    public async Task An_async_run_with_tls_and_a_run_secret_gives_the_single_process_metrics_and_events_bit_for_bit()
    {
        Environment.SetEnvironmentVariable(_passwordEnv, Password);
        string secretEnv = $"DKD_TEST_SECRET_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        Environment.SetEnvironmentVariable(secretEnv, "async run secret");
        string certificate = SelfSignedCertificate.CreatePfx(_dir, "run", Password);
        var loaded = ExperimentConfigLoader.Load(null,
        [
            .. Small, "mode=async", "topology.kind=full", "network.latency.dist=lognormal", "network.latency.median=15ms", "network.drop=0.1",
            .. Tls(certificate), $"cluster.secret-env={secretEnv}",
        ]);
        var setup = HostProcess.Build(loaded.Config);
        string singleEvents = Path.Combine(_dir, "single.jsonl"), clusterEvents = Path.Combine(_dir, "cluster.jsonl");
        Core.Runtime.RunResult single;
        using (var events = new EventsJsonl(singleEvents)) single = LocalRun.Run(setup, asyncObserver: events);
        Assert.Null(single.Error);

        ClusterRunResult result;
        using (var events = new EventsJsonl(clusterEvents))
        {
            await using var cluster = InProcessCluster.Start(loaded, setup, events: events);
            result = await cluster.Result(120);
        }
        Assert.Null(result.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
        Assert.Equal(File.ReadAllLines(singleEvents), File.ReadAllLines(clusterEvents));
        Assert.Empty(result.Dropped);
        Assert.All(result.Hosts, h => Assert.StartsWith("akka.ssl.tcp://", h.Address));
    }

    [Fact]
    public void A_missing_certificate_or_a_wrong_password_is_one_input_error_naming_the_key_and_never_the_password()
    {
        Environment.SetEnvironmentVariable(_passwordEnv, "not the password");
        string certificate = SelfSignedCertificate.CreatePfx(_dir, "run", Password);
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, .. Tls(certificate)]);
        var setup = HostProcess.Build(loaded.Config);
        var wrong = Assert.Throws<Core.InputException>(() => InProcessCluster.StartCoordinator(loaded, setup));
        Assert.StartsWith($"experiment.cluster.tls.certificate = '{certificate}': cannot read it", wrong.Message);
        Assert.Contains(_passwordEnv, wrong.Message);
        Assert.DoesNotContain("not the password", wrong.Message);

        var missing = ExperimentConfigLoader.Load(null, [.. Small, .. Tls(Path.Combine(_dir, "absent.pfx"))]);
        var e = Assert.Throws<Core.InputException>(() => WorkerNode.Start(setup, missing.Cluster, missing.Fingerprint, new NodeEndpoint(),
            new Akka.Actor.Address("akka.ssl.tcp", "dkd", "127.0.0.1", 1)));
        Assert.StartsWith("experiment.cluster.tls.certificate = '", e.Message);
        Assert.EndsWith("absent.pfx': no such file (expected a PKCS#12 .pfx file)", e.Message);

        var unnamed = ExperimentConfigLoader.Load(null, [.. Small, "cluster.tls.enabled=true"]);
        var noFile = Assert.Throws<Core.InputException>(() => InProcessCluster.StartCoordinator(unnamed, setup));
        Assert.StartsWith("experiment.cluster.tls.enabled = true: expected experiment.cluster.tls.certificate", noFile.Message);
    }
}
