using System.Buffers.Binary;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// Malformed input through the real CLI entry point (in process): every case must end with exit code 2, nothing on
/// stdout, exactly one stderr line naming the key or file, no stack frame, and no results directory. "{dir}" in an
/// argument is the per-test fixture folder holding the files below; every command writes (if at all) under
/// {dir}/out.
/// </summary>
[Collection("engine")]
public sealed class MalformedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-bad-").FullName;

    public MalformedInputTests()
    {
        // A valid, tiny synthetic experiment: each case breaks one thing in it.
        File.WriteAllText(Path.Combine(_dir, "base.conf"), """
            experiment {
              name = "tiny"
              agents = 4
              rounds = 2
              eval-every = 1
              dataset { name = synthetic
                synthetic { train-size = 200, test-size = 50, shape = [4] } }
              model { name = mlp, hidden = [8] }
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "unclosed.conf"), "experiment {\n  agents = 4\n");
        File.WriteAllText(Path.Combine(_dir, "typo.conf"), "experiment { agnets = 4 }\n");
        File.WriteAllText(Path.Combine(_dir, "list.conf"), "experiment { agents = [1, 2] }\n");
        File.WriteAllText(Path.Combine(_dir, "include-absolute.conf"), $"# include \"commented.conf\" is no include\ninclude \"{Path.Combine(_dir, "base.conf")}\"\nexperiment {{ rounds = 2 }}\n");
        File.WriteAllText(Path.Combine(_dir, "include-relative.conf"), "experiment { include file(\"base.conf\") }\n");
        File.WriteAllText(Path.Combine(_dir, "disconnected.edges"), "0 1\n2 3\n");
        File.WriteAllText(Path.Combine(_dir, "out-of-range.edges"), "0 1\n1 2\n2 7\n3 0\n");
        File.WriteAllText(Path.Combine(_dir, "five.edges"), "# nodes: 5\n0 1\n1 2\n2 3\n3 4\n4 0\n");
        File.WriteAllText(Path.Combine(_dir, "garbage.edges"), "0 1\n1 x\n");
        File.WriteAllText(Path.Combine(_dir, "bad-links.txt"), "0 1 constant\n");

        // Fashion-MNIST layout whose training images stop after 100 of the 10·28·28 pixel bytes the header promises.
        string idx = Directory.CreateDirectory(Path.Combine(_dir, "idx")).FullName;
        var truncated = new byte[16 + 100];
        BinaryPrimitives.WriteInt32BigEndian(truncated, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(4), 10);
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(12), 28);
        File.WriteAllBytes(Path.Combine(idx, "train-images-idx3-ubyte"), truncated);
        var labels = new byte[8 + 10];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 10);
        File.WriteAllBytes(Path.Combine(idx, "train-labels-idx1-ubyte"), labels);

        // CIFAR-10 binary layout; data_batch_3.bin holds 3072-byte records (pixels without the label byte).
        string cifar = Directory.CreateDirectory(Path.Combine(_dir, "cifar")).FullName;
        foreach (string f in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
            File.WriteAllBytes(Path.Combine(cifar, f), new byte[2 * 3073]);
        File.WriteAllBytes(Path.Combine(cifar, "data_batch_3.bin"), new byte[2 * 3072]);

        // Results folders for dkd compare: one fine run, one without metrics.csv, one with a corrupt row.
        string good = Directory.CreateDirectory(Path.Combine(_dir, "runs", "good")).FullName;
        const string header = "round,virtual_time_s,wall_s,mean_acc,min_acc,max_acc,avg_model_acc,train_loss,consensus_distance,bytes_sent";
        File.WriteAllText(Path.Combine(good, "metrics.csv"), header + "\n1,0.1,0.5,0.5,0.4,0.6,0.55,1.2,0.3,1000\n");
        Directory.CreateDirectory(Path.Combine(_dir, "runs", "empty"));
        string corrupt = Directory.CreateDirectory(Path.Combine(_dir, "runs", "corrupt")).FullName;
        File.WriteAllText(Path.Combine(corrupt, "metrics.csv"), header + "\n1,0.1,0.5,high,0.4,0.6,0.55,1.2,0.3,1000\n");
        string headerOnly = Directory.CreateDirectory(Path.Combine(_dir, "runs", "header-only")).FullName;
        File.WriteAllText(Path.Combine(headerOnly, "metrics.csv"), header + "\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static string[] Run(params string[] overrides) =>
        ["run", "{dir}/base.conf", "--out", "{dir}/out", .. overrides.SelectMany(o => new[] { "--set", o })];

    public static TheoryData<string, string[], string> Cases() => new()
    {
        // Types and ranges of single keys.
        { "non-integer agents", Run("agents=abc"), "experiment.agents = 'abc': expected an integer" },
        { "negative agents", Run("agents=-4"), "experiment.agents = -4: expected an integer in [1, 100000]" },
        { "fractional agents", Run("agents=2.5"), "experiment.agents = '2.5': expected an integer" },
        { "zero rounds", Run("rounds=0"), "experiment.rounds = 0" },
        { "negative eval-every", Run("eval-every=-1"), "experiment.eval-every = -1" },
        { "alpha zero", Run("partition.alpha=0"), "experiment.partition.alpha = 0: expected a number > 0" },
        { "alpha negative", Run("partition.alpha=-0.5"), "experiment.partition.alpha = -0.5: expected a number > 0" },
        { "learning rate zero", Run("optimizer.lr=0"), "experiment.optimizer.lr = 0: expected a number > 0" },
        { "negative batch size", Run("optimizer.batch-size=-32"), "experiment.optimizer.batch-size = -32" },
        { "momentum above one", Run("optimizer.momentum=1.5"), "experiment.optimizer.momentum = 1.5" },
        { "boolean typo", Run("optimizer.nesterov=maybe"), "experiment.optimizer.nesterov = 'maybe': expected true or false" },
        { "zero-width hidden layer", Run("model.hidden=[0]"), "experiment.model.hidden: element '0'" },
        { "list where a number belongs", ["run", "{dir}/list.conf", "--out", "{dir}/out"], "experiment.agents: expected a single value" },
        { "public fraction above 0.99", Run("dataset.public-fraction=1.5"), "experiment.dataset.public-fraction = 1.5" },
        { "bandwidth without unit", Run("network.bandwidth=lots"), "experiment.network.bandwidth = 'lots'" },
        { "duration typo", Run("compute.step-time=fast"), "experiment.compute.step-time = 'fast'" },
        { "unknown mode", Run("mode=turbo"), "experiment.mode = 'turbo'" },
        // This machine has no GPU (and the test build uses the CPU libtorch).
        { "cuda device without a GPU", Run("device=cuda"), "experiment.device = cuda: this process sees no CUDA device" },
        // Unknown names.
        { "unknown algorithm", Run("algorithm.name=foo"), "experiment.algorithm.name = 'foo': expected one of" },
        { "unknown topology", Run("topology.kind=hypercube"), "experiment.topology.kind = 'hypercube'" },
        // Compressed gossip: the compressor keys of choco and sparse-dpsgd, and a compressor key where nothing compresses.
        { "unknown compressor", Run("algorithm.name=choco", "algorithm.choco.compressor=zip"), "experiment.algorithm.choco.compressor = 'zip': expected one of none | top-k" },
        { "compression ratio 0", Run("algorithm.name=choco", "algorithm.choco.ratio=0"), "experiment.algorithm.choco.ratio = 0: expected a number in (0, 1]" },
        { "compression ratio above 1", Run("algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.ratio=2"), "experiment.algorithm.sparse-dpsgd.ratio = 2: expected a number in (0, 1]" },
        { "qsgd without levels", Run("algorithm.name=choco", "algorithm.choco.levels=0"), "experiment.algorithm.choco.levels = 0: expected an integer in [1, 1000000]" },
        { "consensus step 0", Run("algorithm.name=choco", "algorithm.choco.gamma=0"), "experiment.algorithm.choco.gamma = 0: expected a number in (0, 1]" },
        { "quantiser for partial sharing", Run("algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.compressor=sign"), "experiment.algorithm.sparse-dpsgd.compressor = 'sign': partial sharing" },
        { "compressor on d-psgd", Run("algorithm.dpsgd.compressor=top-k"), "unknown key 'experiment.algorithm.dpsgd.compressor': algorithm 'dpsgd' does not compress its messages" },
        { "unknown key in a file", ["run", "{dir}/typo.conf", "--out", "{dir}/out"], "unknown key 'experiment.agnets' (nearest known key: 'experiment.agents')" },
        { "unknown key in --set", Run("optimiser.lr=0.1"), "unknown key 'experiment.optimiser.lr'" },
        { "--set without a value", Run("agents"), "--set 'agents': expected key=value" },
        { "unknown CLI flag", ["run", "{dir}/base.conf", "--out", "{dir}/out", "--frobnicate"], "unknown option --frobnicate" },
        { "extra positional argument", ["run", "{dir}/base.conf", "extra", "--out", "{dir}/out"], "unexpected argument 'extra'" },
        { "unknown command", ["rnu", "{dir}/base.conf"], "unknown command 'rnu' (did you mean 'run'?" },
        // Config files.
        { "missing config file", ["run", "{dir}/nope.conf", "--out", "{dir}/out"], "config file '{dir}/nope.conf' not found" },
        { "unclosed brace", ["run", "{dir}/unclosed.conf", "--out", "{dir}/out"], "unclosed.conf: '{' opened on line 1 is never closed" },
        { "include of an absolute path", ["run", "{dir}/include-absolute.conf", "--out", "{dir}/out"],
            "include-absolute.conf line 2: HOCON 'include' is not supported (a cluster worker, dkd resume or a sweep loads this file again where the included file need not be); put its keys into this file or pass them with --set" },
        { "include of a relative path", ["run", "{dir}/include-relative.conf", "--out", "{dir}/out"], "include-relative.conf line 1: HOCON 'include' is not supported" },
        // Cross-key checks.
        { "gossip with one agent", Run("agents=1"), "experiment.agents = 1: algorithm 'dpsgd'" },
        { "more agents than samples", Run("agents=300"), "300 agents but only 200 training samples" },
        { "milestone beyond the last round", Run("optimizer.schedule.kind=step", "optimizer.schedule.milestones=[1, 10]"), "milestone 10 is not before the last round" },
        { "step schedule without milestones", Run("optimizer.schedule.kind=step"), "experiment.optimizer.schedule.milestones: expected a non-empty list" },
        { "warm-up longer than the run", Run("optimizer.schedule.warmup-rounds=5"), "experiment.optimizer.schedule.warmup-rounds = 5" },
        { "evaluation sample larger than the agents", Run("eval.sample-agents=5"), "experiment.eval.sample-agents = 5: expected at most experiment.agents = 4 (0, the default, evaluates every agent)" },
        { "torus with non-square agents", Run("topology.kind=torus", "agents=6"), "perfect-square number of agents" },
        { "impossible regular degree", Run("topology.kind=regular", "topology.degree=3", "agents=5"), "topology.degree" },
        { "too many shards", Run("partition.kind=shards", "partition.shards-per-agent=1000"), "partition.shards-per-agent = 1000" },
        { "public pool needed", Run("algorithm.name=idkd"), "experiment.dataset.public-fraction = 0: algorithm 'idkd'" },
        { "uniform latency min above max", Run("mode=async", "network.latency.dist=uniform", "network.latency.min=20ms", "network.latency.max=5ms"), "experiment.network.latency.min" },
        { "test samples beyond the test set", Run("dataset.test-samples=1000"), "experiment.dataset.test-samples = 1000: the synthetic test set has only 50" },
        { "batch larger than the training set", Run("optimizer.batch-size=100000"), "experiment.optimizer.batch-size = 100000" },
        // Input files.
        { "topology file missing", Run("topology.kind=file", "topology.file={dir}/nope.edges"), "topology file '{dir}/nope.edges' not found" },
        { "topology file not given", Run("topology.kind=file"), "experiment.topology.file: required" },
        { "disconnected edge file", Run("topology.kind=file", "topology.file={dir}/disconnected.edges"), "disconnected.edges' with 4 agents is disconnected" },
        { "edge file node id out of range", Run("topology.kind=file", "topology.file={dir}/out-of-range.edges"), "out-of-range.edges' has 8 nodes, but agents = 4" },
        { "edge file with the wrong node count", Run("topology.kind=file", "topology.file={dir}/five.edges"), "five.edges' has 5 nodes, but agents = 4" },
        { "edge file with garbage", Run("topology.kind=file", "topology.file={dir}/garbage.edges"), "garbage.edges' line 2" },
        { "dataset path missing", Run("dataset.name=fashion-mnist", "dataset.path={dir}/nowhere"), "dataset directory '{dir}/nowhere' not found" },
        { "truncated IDX file", Run("dataset.name=fashion-mnist", "dataset.path={dir}/idx"), "IDX file '{dir}/idx/train-images-idx3-ubyte' is truncated" },
        { "wrong CIFAR record size", Run("dataset.name=cifar10", "dataset.path={dir}/cifar", "model.name=lenet5"), "CIFAR file '{dir}/cifar/data_batch_3.bin': size 6144 is not a positive multiple of the 3073-byte record" },
        { "link overrides file missing", Run("mode=async", "network.links-file={dir}/nope.links"), "link overrides file '{dir}/nope.links' not found" },
        { "malformed link overrides file", Run("mode=async", "network.links-file={dir}/bad-links.txt"), "bad-links.txt" },
        { "churn schedule file missing", Run("mode=async", "churn.kind=schedule", "churn.file={dir}/nope.churn"), "churn schedule file '{dir}/nope.churn' not found" },
        { "output directory under a file", ["run", "{dir}/base.conf", "--out", "{dir}/base.conf/out"], "output directory '{dir}/base.conf/out'" },
        // dkd compare.
        { "compare without directories", ["compare", "--out", "{dir}/out"], "missing argument RUN_DIR" },
        { "compare a missing directory", ["compare", "{dir}/runs/good", "{dir}/runs/nope", "--out", "{dir}/out"], "run directory '{dir}/runs/nope' not found" },
        { "compare a directory without metrics", ["compare", "{dir}/runs/empty", "--out", "{dir}/out"], "run directory '{dir}/runs/empty' has no metrics.csv" },
        { "compare a corrupt metrics file", ["compare", "{dir}/runs/good", "{dir}/runs/corrupt", "--out", "{dir}/out"], "corrupt/metrics.csv' line 2: column 4 'high' is not a number" },
        { "compare a run without rows", ["compare", "{dir}/runs/header-only", "--out", "{dir}/out"], "header-only/metrics.csv' has no rows" },
        { "compare target above one", ["compare", "{dir}/runs/good", "--target", "1.5", "--out", "{dir}/out"], "--target expects an accuracy in (0, 1]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_one_line_on_stderr_exit_code_2_and_leaves_no_results(string what, string[] args, string expected)
    {
        string[] resolved = args.Select(a => a.Replace("{dir}", _dir)).ToArray();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Dkd.Run(resolved, stdout, stderr);
        string err = stderr.ToString();
        Assert.True(code == 2, $"{what}: exit code {code}, stderr: {err}");
        Assert.Equal("", stdout.ToString());
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.Contains(expected.Replace("{dir}", _dir), err);
        Assert.DoesNotContain("   at ", err);
        string outDir = Path.Combine(_dir, "out");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), $"{what}: left {outDir} behind");
    }

    /// <summary>Edge values a researcher may mean: they run, with the documented meaning.</summary>
    [Theory]
    [InlineData(new[] { "eval-every=10" }, new[] { 2 })]                        // beyond rounds: evaluated at the end only
    [InlineData(new[] { "eval-every=0" }, new[] { 2 })]                         // 0: at the end only
    [InlineData(new[] { "agents=1", "algorithm.name=local" }, new[] { 1, 2 })]  // one agent is fine without gossip
    [InlineData(new[] { "optimizer.schedule.kind=step", "optimizer.schedule.milestones=[1]" }, new[] { 1, 2 })]
    public void Edge_values_that_make_sense_are_accepted(string[] overrides, int[] evaluatedRounds)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Dkd.Run(Run(overrides).Select(a => a.Replace("{dir}", _dir)).ToArray(), stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string dir = stdout.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();
        var rounds = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(evaluatedRounds, rounds);
    }
}
