using System.Text;
using DecentralizedKD.Hosting.Tests;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// A secured cluster run with real processes: <c>dkd host --tls-cert FILE</c> on every host, the run secret and the
/// certificate's password in environment variables only. The run gives <c>dkd run</c>'s metrics, and neither the
/// secret nor the password appears in any file it writes or any line the processes print.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class SecuredClusterProcessTests(ITestOutputHelper output) : IDisposable
{
    private const string Secret = "run-secret-6f0d2a9b";
    private const string Password = "pfx-password-41c7e3";

    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-secured-").FullName;
    private readonly ChildProcesses _processes = new();

    private static readonly Dictionary<string, string> SecretsInEnvironment = new()
    {
        ["DKD_CLUSTER_SECRET"] = Secret,
        ["DKD_TLS_PASSWORD"] = Password,
    };

    public void Dispose()
    {
        _processes.Dispose();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task A_tls_cluster_with_a_run_secret_reproduces_the_single_process_run_and_writes_neither_secret_nor_password_anywhere()
    {
        string config = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny-secured", agents = 4, rounds = 4, eval-every = 2, threads = 1
              dataset { name = synthetic, synthetic { train-size = 2000, test-size = 300, shape = [1, 8, 8] } }
              partition { alpha = 0.5 }
              model { name = mlp, hidden = [32] }
              cluster { secret-env = DKD_CLUSTER_SECRET }
            }
            """);
        string certificate = SelfSignedCertificate.CreatePfx(_dir, "run", Password);
        var single = new StringWriter();
        Assert.Equal(0, Dkd.Run(["run", config, "--out", Path.Combine(_dir, "single")], single, new StringWriter()));

        int port = LoopbackPort.Free();
        var coordinator = _processes.DkdWith("coordinator", SecretsInEnvironment, "host", "--role", "coordinator", "--config", config,
            "--port", port.ToString(), "--workers", "2", "--tls-cert", certificate, "--out", Path.Combine(_dir, "cluster"));
        var workers = Enumerable.Range(0, 2).Select(i => _processes.DkdWith($"worker {i}", SecretsInEnvironment, "host", "--role", "worker",
            "--config", config, "--seed-node", $"akka.ssl.tcp://dkd@127.0.0.1:{port}", "--workers", "2", "--tls-cert", certificate)).ToArray();
        // A hang guard only: alone on 2 cores the three processes finish in well under 30 s.
        await _processes.Explain(() => _processes.WaitForAll(150));
        string[] lines = [coordinator.Stdout, coordinator.Stderr, .. workers.SelectMany(w => new[] { w.Stdout, w.Stderr })];
        output.WriteLine(coordinator.Stderr);

        Assert.Equal(0, coordinator.ExitCode);
        Assert.All(workers, w => Assert.Equal(0, w.ExitCode));
        string last = lines[0].TrimEnd().Split('\n')[^1];
        Assert.StartsWith("results: ", last);
        string clusterDir = last["results: ".Length..];
        string singleDir = single.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..];
        Assert.Equal(DeterministicMetrics.DeterministicLines(Path.Combine(singleDir, "metrics.csv")),
            DeterministicMetrics.DeterministicLines(Path.Combine(clusterDir, "metrics.csv")));
        Assert.Contains("akka.ssl.tcp://", File.ReadAllText(Path.Combine(clusterDir, "hosts.csv")));

        // Every file of the results folder, byte for byte (UTF-8 and UTF-16), and everything the three processes printed.
        var files = Directory.GetFiles(clusterDir, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string secret in new[] { Secret, Password })
        {
            foreach (var file in files)
            {
                byte[] bytes = File.ReadAllBytes(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} contains a secret");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{file} contains a secret");
            }
            Assert.All(lines, text => Assert.DoesNotContain(secret, text));
        }
        output.WriteLine($"{files.Length} result files checked: {string.Join(", ", files.Select(Path.GetFileName))}");
    }
}
