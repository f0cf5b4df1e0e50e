using System.Text.Json;
using DecentralizedKD.Cli;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Cli.Tests;

[Collection("engine")]
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);


    [Fact]
    public void List_algorithms_describes_every_registered_method_from_its_descriptor()
    {
        var (code, output, _) = Dkd("list", "algorithms");
        Assert.Equal(0, code);
        var names = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ')).Select(l => l[..l.IndexOf(':')]).ToArray();
        Assert.Equal(Core.Algorithms.Registry.AlgorithmRegistry.Names, names);
        // What the descriptors state, not a copy: MHD's requirements and CCL's two payload kinds and own keys.
        Assert.Contains("  agents >= 2; dataset.public-fraction > 0; model.heads >= 2; checkpoints; accepts model.per-agent; sends (wire tags): logits\n", output);
        Assert.Contains("  agents >= 2; checkpoints; sends (wire tags): params\n", output);   // D-PSGD: one model for every agent
        Assert.Contains("a model with a feature layer; checkpoints; sends (wire tags): params, feature-sums\n  keys (experiment.algorithm.ccl):\n    lambda-model = 0.1", output);
        Assert.Contains("feddkd: ", output);
        Assert.Contains("adds a server agent on a star", output);
    }

    [Fact]
    public void List_names_every_kind_from_its_registry_and_describes_one_kind()
    {
        var (code, output, _) = Dkd("list");
        Assert.Equal(0, code);
        Assert.Contains("models (experiment.model.name): mlp, lenet5, resnet20\n", output);
        Assert.Contains("partitioners (experiment.partition.kind): iid, dirichlet, dirichlet-grouped, shards\n", output);
        Assert.Contains("schedules (experiment.topology.schedule): static, random-regular, random-push, one-peer-exponential, sequence\n", output);
        Assert.Contains("compressors (experiment.algorithm.<method>.compressor): none, top-k, random-k, qsgd, sign\n", output);

        var (_, datasets, _) = Dkd("list", "datasets");
        // The synthetic dataset's own section, with its defaults, comes from its descriptor.
        Assert.Contains("synthetic: seeded Gaussian class clusters", datasets);
        Assert.Contains("  keys (experiment.dataset.synthetic):\n    train-size = 6000\n", datasets);
        Assert.Contains("fashion-mnist: Fashion-MNIST", datasets);
        var (_, topologies, _) = Dkd("list", "topologies");
        Assert.Contains("social32: Davis Southern Women graph, 32 nodes (QGM's \"social\" topology)\n  exactly 32 agents\n", topologies);

        var (bad, _, err) = Dkd("list", "optimizers");
        Assert.Equal(2, bad);
        Assert.Equal("error: dkd list: 'optimizers' is not one of algorithms | models | datasets | partitioners | topologies | schedules | compressors", err.Trim());
    }

    [Fact]
    public void Topology_json_reports_the_ring_closed_form()
    {
        var (code, output, _) = Dkd("topology", "ring", "--agents", "16", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(16, root.GetProperty("agents").GetInt32());
        Assert.Equal(16, root.GetProperty("edges").GetInt32());
        Assert.Equal(2, root.GetProperty("minDegree").GetInt32());
        Assert.Equal(2, root.GetProperty("maxDegree").GetInt32());
        Assert.True(root.GetProperty("connected").GetBoolean());
        Assert.True(root.GetProperty("symmetric").GetBoolean());
        Assert.True(root.GetProperty("doublyStochastic").GetBoolean());
        Assert.Equal(1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / 16)), root.GetProperty("spectralGap").GetDouble(), 9);
    }

    [Fact]
    public void Topology_schedule_reports_degrees_per_round_and_the_period_product()
    {
        var (code, output, err) = Dkd("topology", "ring", "--schedule", "one-peer-exponential", "--agents", "16", "--json");
        Assert.True(code == 0, err);
        using (var json = JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.Equal(4, root.GetProperty("rounds").GetInt32());          // one period by default
            Assert.Equal(1, root.GetProperty("maxInDegree").GetInt32());
            Assert.Equal(16, root.GetProperty("messagesPerRound").GetDouble());
            Assert.Equal(4, root.GetProperty("doublyStochasticRounds").GetInt32());
            // One period on 2^4 agents averages exactly: W_3 W_2 W_1 W_0 = J/16, whose gap is 1.
            Assert.Equal(1.0, root.GetProperty("periodProductSpectralGap").GetDouble(), 9);
            // The mean of the four one-peer matrices is far from averaging in one step; exact: one whole period.
            Assert.InRange(root.GetProperty("expectedMixingSpectralGap").GetDouble(), 0.01, 0.5);
            Assert.True(root.GetProperty("expectedMixingExact").GetBoolean());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("expectedMixingEstimateRounds").ValueKind);
        }
        (code, output, err) = Dkd("topology", "ring", "--schedule", "random-regular", "--degree", "2", "--agents", "16", "--json");
        Assert.True(code == 0, err);
        using (var json = JsonDocument.Parse(output))
        {
            // Exact: (1 − 16·b) with b = 2/(3·15) gives the gap 32/45, not the 100-round sample.
            Assert.Equal(32.0 / 45.0, json.RootElement.GetProperty("expectedMixingSpectralGap").GetDouble(), 12);
            Assert.True(json.RootElement.GetProperty("expectedMixingExact").GetBoolean());
        }
        (code, output, err) = Dkd("topology", "ring", "--schedule", "random-regular", "--degree", "2", "--agents", "16");
        Assert.True(code == 0, err);
        Assert.Contains("spectral gap      0.711111 (of E[W], exact: the closed form of the schedule's random graphs)", output);
        (code, output, err) = Dkd("topology", "ring", "--schedule", "one-peer-exponential", "--agents", "16", "--rounds", "7");
        Assert.True(code == 0, err);
        Assert.Contains("(of E[W], exact: the mean over one period of 4 round(s))", output);
        (code, output, err) = Dkd("topology", "ring", "--schedule", "random-push", "--peers", "2", "--agents", "10", "--rounds", "50");
        Assert.True(code == 0, err);
        Assert.Contains("out-degree        min 2, mean 2, max 2", output);
        Assert.Contains("messages / round  20", output);
        Assert.Contains("in-degree         min 0, mean 2, max", output);
        (code, _, err) = Dkd("topology", "ring", "--schedule", "random-regular", "--degree", "3", "--agents", "9");
        Assert.Equal(2, code);
        Assert.Equal("error: experiment.topology.degree = 3: topology.schedule = random-regular on 9 agents needs 2 <= degree < agents and agents·degree even", err.Trim());
        (code, _, err) = Dkd("topology", "ring", "--schedule", "gossip");
        Assert.Equal(2, code);
        Assert.Contains("--schedule 'gossip': unknown schedule, expected one of static | random-regular", err);
    }

    [Fact]
    public void Partition_json_and_heatmap()
    {
        string png = Path.Combine(_dir, "p.png");
        var (code, output, err) = Dkd("partition", "--dataset", "fashion-mnist", "--agents", "8", "--kind", "dirichlet", "--alpha", "0.05", "--seed", "3", "--json", "--plot", png);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var agents = json.RootElement.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(8, agents.Count);
        Assert.Equal(60000, agents.Sum(a => a.GetProperty("count").GetInt32()));
        Assert.All(agents, a => Assert.Equal(a.GetProperty("count").GetInt32(), a.GetProperty("labels").EnumerateArray().Sum(v => v.GetInt32())));
        Assert.Equal(0, agents[5].GetProperty("id").GetInt32() - 5);
        PngAssert.NotBlank(png, 900, 540);
    }

    [Theory]
    [InlineData(new[] { "topology", "torus", "--agents", "15" }, "perfect-square")]
    [InlineData(new[] { "topology", "ring", "--agents", "x" }, "--agents expects an integer")]
    [InlineData(new[] { "topology", "ring", "--agnets", "4" }, "did you mean --agents?")]
    [InlineData(new[] { "topolgy" }, "unknown command 'topolgy' (did you mean 'topology'?")]
    [InlineData(new[] { "partition", "--kind", "dirichlet", "--alpha", "0" }, "partition.alpha = 0: expected a number > 0")]
    [InlineData(new[] { "partition", "--dataset", "cifar10", "--path", "/nonexistent" }, "not found")]
    [InlineData(new[] { "partition", "--dataset", "imagenet" }, "--dataset 'imagenet' is not one of")]
    [InlineData(new[] { "partition", "--agents", "70000", "--kind", "iid" }, "70000 agents but only 60000")]
    [InlineData(new[] { "run", "/nonexistent.conf" }, "config file '/nonexistent.conf' not found")]
    [InlineData(new[] { "run" }, "missing argument CONFIG")]
    [InlineData(new[] { "host", "--role", "boss" }, "--role 'boss' is not one of coordinator, worker")]
    [InlineData(new[] { "host", "--role", "worker" }, "missing required option --config")]
    [InlineData(new[] { "host", "--role", "worker", "--config", "/nonexistent.conf" }, "config file '/nonexistent.conf' not found")]
    [InlineData(new[] { "topology", "file", "--file", "/nonexistent.edges" }, "topology file '/nonexistent.edges' not found")]
    public void Bad_input_is_one_line_on_stderr_and_exit_code_2(string[] args, string expected)
    {
        var (code, output, err) = Dkd(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", err);
    }

    [Fact]
    public void Run_writes_every_output_and_prints_results_last()
    {
        string config = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(config, """
            experiment {
              name = "tiny"
              agents = 4
              rounds = 20
              eval-every = 10
              dataset.test-samples = 500
              algorithm.name = qgm
            }
            """);
        var (code, output, err) = Dkd("run", config, "--set", "partition.alpha=0.5", "--out", _dir);
        Assert.True(code == 0, err);
        string last = output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("results: ", last);
        string dir = last["results: ".Length..].Trim();
        Assert.StartsWith(Path.Combine(_dir, "tiny-"), dir);
        var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.Equal("round,virtual_time_s,wall_s,mean_acc,min_acc,max_acc,avg_model_acc,train_loss,consensus_distance,bytes_sent", metrics[0]);
        Assert.Equal(3, metrics.Length);
        Assert.StartsWith("10,", metrics[1]);
        Assert.StartsWith("20,", metrics[2]);
        var agents = File.ReadAllLines(Path.Combine(dir, "agents.csv"));
        Assert.Equal(5, agents.Length);
        Assert.Equal("agent,samples,classes,final_acc,private_accuracy,bytes_sent", agents[0]);
        Assert.All(agents[1..], line => Assert.InRange(double.Parse(line.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0));
        string resolved = File.ReadAllText(Path.Combine(dir, "config.conf"));
        Assert.Contains("experiment.partition.alpha = \"0.5\"", resolved);
        Assert.Contains("experiment.algorithm.name = \"qgm\"", resolved);
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("final mean agent accuracy", summary);
        Assert.Contains("final mean private-distribution accuracy", summary);
        Assert.Contains("plots/accuracy.png", summary);
        PngAssert.NotBlank(Path.Combine(dir, "plots", "accuracy.png"), 900, 540);
        PngAssert.NotBlank(Path.Combine(dir, "plots", "consensus.png"), 900, 540);
    }

    [Fact]
    public void Device_setting_is_in_the_summary_and_a_staged_run_writes_the_cpu_numbers()
    {
        string[] Run(string device)
        {
            var (code, output, err) = Dkd("run", Path.Combine(RepositoryRoot.FullName, "hocon/experiments/qgm-ring16-fmnist.conf"), "--out", _dir,
                "--set", "agents=4", "--set", "rounds=12", "--set", "eval-every=6", "--set", "dataset.name=synthetic",
                "--set", "dataset.synthetic.train-size=800", "--set", "dataset.synthetic.test-size=200", "--set", "model.name=mlp",
                "--set", "model.hidden=[16]", "--set", $"device={device}");
            Assert.True(code == 0, err);
            string dir = output.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
            string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
            var metrics = DeterministicLines(Path.Combine(dir, "metrics.csv"));
            return [summary, .. metrics, .. File.ReadAllLines(Path.Combine(dir, "agents.csv"))];
        }
        var cpu = Run("cpu");
        var staged = Run("cpu-staged");
        var auto = Run("auto");
        Assert.DoesNotContain("- device:", cpu[0]);
        Assert.Contains("- device: `cpu-staged`: agents on cpu-staged, averaged model on cpu-staged; the GPU code path on the CPU", staged[0]);
        // This build has the CPU libtorch: auto finds no GPU and says so.
        Assert.Contains("- device: `auto`: agents on cpu, averaged model on cpu\n", auto[0].ReplaceLineEndings("\n"));
        Assert.Equal(cpu[1..], staged[1..]);
        Assert.Equal(cpu[1..], auto[1..]);
    }

    [Fact]
    public void Idkd_run_reports_public_sample_counts_per_agent()
    {
        var (code, output, err) = Dkd("run", Path.Combine(RepositoryRoot.FullName, "hocon/experiments/idkd-ring16-fmnist-a01.conf"), "--out", _dir,
            "--set", "agents=4", "--set", "rounds=20", "--set", "eval-every=0", "--set", "dataset.name=synthetic",
            "--set", "dataset.synthetic.train-size=1200", "--set", "dataset.synthetic.test-size=200", "--set", "dataset.synthetic.separability=6",
            "--set", "dataset.public-fraction=0.25", "--set", "partition.alpha=0.5", "--set", "model.name=mlp", "--set", "model.hidden=[32]",
            "--set", "optimizer.lr=0.2", "--set", "algorithm.idkd.start=0.5", "--set", "algorithm.idkd.period=0.25", "--set", "algorithm.idkd.threshold=0.5");
        Assert.True(code == 0, err);
        string dir = output.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        var agents = File.ReadAllLines(Path.Combine(dir, "agents.csv"));
        Assert.Equal("agent,samples,classes,final_acc,private_accuracy,bytes_sent,public_flagged,public_samples", agents[0]);
        Assert.Equal(5, agents.Length);
        Assert.All(agents.Skip(1), line => Assert.InRange(int.Parse(line.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture), 1, 300));
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("## IDKD public samples", summary);
        Assert.Contains("public pool: 300 samples", summary);
        Assert.Contains("| bytes sent: soft-labels |", summary);
    }

    [Fact]
    public void A_sampled_evaluation_says_so_in_the_summary_and_leaves_untested_agents_empty_in_agents_csv()
    {
        var (code, output, err) = Dkd("run", Path.Combine(RepositoryRoot.FullName, "hocon/experiments/dpsgd-ring16-fmnist.conf"), "--out", _dir, "--set", "agents=6", "--set", "rounds=4", "--set", "eval-every=2",
            "--set", "dataset.test-samples=200", "--set", "model.name=mlp", "--set", "model.hidden=[16]", "--set", "eval.sample-agents=2");
        Assert.True(code == 0, err);
        string dir = output.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        Assert.Contains("over a seeded sample of 2 of the 6 agents", File.ReadAllText(Path.Combine(dir, "summary.md")));
        var finalAcc = File.ReadAllLines(Path.Combine(dir, "agents.csv")).Skip(1).Select(l => l.Split(',')[3]).ToArray();
        Assert.Equal(6, finalAcc.Length);
        Assert.Equal(4, finalAcc.Count(a => a == ""));
    }

    [Fact]
    public void Async_run_writes_events_and_the_async_summary()
    {
        string repo = RepositoryRoot.FullName;
        var (code, output, err) = Dkd("run", Path.Combine(repo, "hocon/experiments/async-ring16-churn.conf"), "--out", _dir,
            "--set", "agents=6", "--set", "rounds=30", "--set", "eval-every=10", "--set", "dataset.test-samples=300",
            "--set", "model.name=mlp", "--set", "model.hidden=[32]", "--set", "churn.period=100ms", "--set", "churn.p-offline=0.3");
        Assert.True(code == 0, err);
        string dir = output.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        var events = File.ReadAllLines(Path.Combine(dir, "events.jsonl"));
        Assert.Contains(events, e => e.StartsWith("{\"event\":\"deliver\""));
        Assert.Contains(events, e => e.StartsWith("{\"event\":\"combine\""));
        Assert.Contains(events, e => e.StartsWith("{\"event\":\"offline\""));
        Assert.All(events.Take(200), e => JsonDocument.Parse(e).Dispose());
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("## Asynchronous run (virtual time)", summary);
        Assert.Contains("staleness of combined payloads", summary);
        PngAssert.NotBlank(Path.Combine(dir, "plots", "accuracy_vs_time.png"), 900, 540);
        var rows = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(new[] { "10", "20", "30" }, rows.Select(r => r[0]));
        var times = rows.Select(r => double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(times[0] > 0 && times[0] < times[1] && times[1] < times[2], "virtual time must increase with rounds");
    }

    [Fact]
    public void Async_metrics_and_events_files_are_byte_identical_for_one_and_two_compute_threads()
    {
        string Run(int threads)
        {
            var (code, output, err) = Dkd("run", Path.Combine(RepositoryRoot.FullName, "hocon/experiments/async-ring16-churn.conf"), "--out", Path.Combine(_dir, $"t{threads}"),
                "--set", $"threads={threads}", "--set", "agents=5", "--set", "rounds=16", "--set", "eval-every=8", "--set", "dataset.test-samples=200",
                "--set", "model.name=mlp", "--set", "model.hidden=[16]", "--set", "churn.period=100ms", "--set", "churn.p-offline=0.3",
                "--set", "network.drop=0.1");
            Assert.True(code == 0, err);
            return output.TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        }
        string one = Run(1), two = Run(2);
        Assert.Equal(File.ReadAllBytes(Path.Combine(one, "events.jsonl")), File.ReadAllBytes(Path.Combine(two, "events.jsonl")));
        Assert.Equal(DeterministicLines(Path.Combine(one, "metrics.csv")), DeterministicLines(Path.Combine(two, "metrics.csv")));
        Assert.True(File.ReadAllLines(Path.Combine(one, "events.jsonl")).Length > 100);
    }

    [Fact]
    public void A_bad_config_leaves_no_results_directory()
    {
        string config = Path.Combine(_dir, "bad.conf");
        File.WriteAllText(config, "experiment { topology.kind = torus\nagents = 15 }");
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = Dkd("run", config, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("perfect-square", err);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }
}
