using Akka.Configuration;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Tests.Checkpoint;
using DecentralizedKD.Hosting.Wire;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// CHOCO-SGD and sparse-dpsgd through the engines: their config sections, exact bytes per kind, reductions to D-PSGD,
/// determinism across threads, the wire serializer and a three-ActorSystem cluster, dropped updates in asynchronous
/// mode, and learning on Fashion-MNIST. Checkpoint/resume and lock-step async are in the per-method theories
/// (ResumeTests, AsyncResumeTests, AlgorithmStateRoundTripTests, AsyncRunTests).
/// </summary>
[Collection("engine")]
public sealed class CompressedGossipRunTests(ITestOutputHelper output)
{
    private static readonly string[] Ring = [.. TinySync.Sets, "agents=4", "topology.kind=ring", "rounds=6", "eval-every=3"];

    private static string[] Choco(string compressor, params string[] more) =>
        [.. Ring, "algorithm.name=choco", $"algorithm.choco.compressor={compressor}", "algorithm.choco.ratio=0.1", .. more];

    [Fact]
    public void The_sections_are_read_and_every_bad_value_is_one_line_naming_its_key()
    {
        var loaded = ExperimentConfigLoader.Load(null, Choco("qsgd", "algorithm.choco.levels=8", "algorithm.choco.gamma=0.25"));
        var s = loaded.Config.Algorithm.Settings<ChocoSettings>();
        Assert.Equal(new ChocoSettings(new CompressionKeys("qsgd", 0.1, 8), 0.25), s);
        Assert.Contains("experiment.algorithm.choco.levels = \"8\"", loaded.ResolvedText);
        Assert.Equal(new SparseDpsgdSettings(new CompressionKeys("random-k", 0.5, 1)),
            ExperimentConfigLoader.Load(null, [.. Ring, "algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.compressor=random-k", "algorithm.sparse-dpsgd.ratio=0.5"])
                .Config.Algorithm.Settings<SparseDpsgdSettings>());

        string Error(params string[] sets) => Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Ring, .. sets])).Message;
        Assert.Equal("experiment.algorithm.choco.ratio = 0: expected a number in (0, 1]", Error("algorithm.choco.ratio=0"));
        Assert.Equal("experiment.algorithm.choco.ratio = 1.5: expected a number in (0, 1]", Error("algorithm.choco.ratio=1.5"));
        Assert.Equal("experiment.algorithm.sparse-dpsgd.ratio = -0.1: expected a number in (0, 1]", Error("algorithm.sparse-dpsgd.ratio=-0.1"));
        Assert.Equal("experiment.algorithm.choco.levels = 0: expected an integer in [1, 1000000]", Error("algorithm.choco.levels=0"));
        Assert.Equal("experiment.algorithm.choco.gamma = 0: expected a number in (0, 1]", Error("algorithm.choco.gamma=0"));
        Assert.Equal("experiment.algorithm.choco.gamma = 1.01: expected a number in (0, 1]", Error("algorithm.choco.gamma=1.01"));
        Assert.Equal("experiment.algorithm.choco.compressor = 'top-q': expected one of none | top-k | random-k | qsgd | sign", Error("algorithm.choco.compressor=top-q"));
        Assert.Equal("experiment.algorithm.sparse-dpsgd.compressor = 'qsgd': partial sharing sends exact values of some coordinates; expected one of top-k | random-k",
            Error("algorithm.sparse-dpsgd.compressor=qsgd"));
        // A compressor key on a method that does not compress: the researcher would get full messages.
        Assert.Equal("--set: unknown key 'experiment.algorithm.qgm.compressor': algorithm 'qgm' does not compress its messages; " +
                     "the compressing methods take experiment.algorithm.choco.compressor, experiment.algorithm.sparse-dpsgd.compressor",
            Error("algorithm.qgm.compressor=top-k"));
        Assert.Contains("algorithm 'dpsgd' does not compress its messages", Error("algorithm.dpsgd.ratio=0.1"));
        Assert.Contains("compressors are set per compressing method", Error("algorithm.compressor=sign"));
    }

    [Theory]
    [InlineData("top-k", "tensor")]
    [InlineData("random-k", "tensor")]
    [InlineData("qsgd", "tensor")]
    [InlineData("sign", "tensor")]
    [InlineData("top-k", "model")]
    [InlineData("qsgd", "model")]
    public void Choco_is_equal_on_one_and_two_threads_and_sends_exactly_the_stated_bytes(string compressor, string scope)
    {
        var one = LocalRun.Run(TinySync.Setup(Choco(compressor, "threads=1", $"algorithm.choco.scope={scope}")));
        var two = LocalRun.Run(TinySync.Setup(Choco(compressor, "threads=2", $"algorithm.choco.scope={scope}")));
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        Assert.Equal(one.FinalAgentParameters, two.FinalAgentParameters);
        var setup = TinySync.Setup(Choco(compressor, $"algorithm.choco.scope={scope}"));
        var layout = CompressorRegistry.Create(compressor, new CompressorSettings(0.1, 16, 0));
        var tensors = setup.Plan.TensorLengths;
        Assert.Equal(setup.Plan.ParameterCount, tensors.Sum());
        Assert.True(tensors.Count > 1, "the tiny model has several parameter tensors");
        // Per tensor: the segment count, then each tensor compressed on its own (k, norm or scale of its own, its own header).
        long message = scope == "model" ? layout.EncodedBytes(setup.Plan.ParameterCount) : 4 + tensors.Sum(d => layout.EncodedBytes(d));
        // 6 rounds × 8 directed ring links × one q each; nothing else crosses the network.
        Assert.Equal(new Dictionary<string, long> { [CompressedVector.KindName] = 6L * 8 * message }, one.BytesByKind);
        Assert.Equal(6L * 8 * message, one.Metrics[^1].BytesSent);
        Assert.True(message < 4L * setup.Plan.ParameterCount, $"{compressor}: {message} bytes for {setup.Plan.ParameterCount} parameters");
    }

    [Fact]
    public void A_per_tensor_run_differs_from_a_whole_model_run_and_the_scope_is_read_as_a_word()
    {
        var tensor = LocalRun.Run(TinySync.Setup(Choco("qsgd", "threads=1")));
        var model = LocalRun.Run(TinySync.Setup(Choco("qsgd", "threads=1", "algorithm.choco.scope=model")));
        Assert.NotEqual(tensor.FinalAgentParameters, model.FinalAgentParameters);
        Assert.Equal(ChocoScope.Tensor, ExperimentConfigLoader.Load(null, Choco("qsgd")).Config.Algorithm.Settings<ChocoSettings>().Scope);
        Assert.Equal("experiment.algorithm.choco.scope = 'layer': expected one of tensor | model",
            Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, Choco("qsgd", "algorithm.choco.scope=layer"))).Message);
    }

    [Fact]
    public void Choco_without_compression_and_gamma_one_is_d_psgd_and_sparse_dpsgd_sharing_everything_too()
    {
        string[] common = [.. Ring, "rounds=8", "eval-every=2", "threads=1"];
        var dpsgd = LocalRun.Run(TinySync.Setup([.. common, "algorithm.name=dpsgd"]));
        var choco = LocalRun.Run(TinySync.Setup([.. common, "algorithm.name=choco", "algorithm.choco.compressor=none", "algorithm.choco.gamma=1"]));
        var sparse = LocalRun.Run(TinySync.Setup([.. common, "algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.ratio=1"]));
        foreach (var run in new[] { choco, sparse })
        {
            Assert.Null(run.Error);
            Assert.Equal(dpsgd.Metrics.Count, run.Metrics.Count);
            for (int k = 0; k < dpsgd.Metrics.Count; k++)
            {
                Assert.Equal(dpsgd.Metrics[k].TrainLoss, run.Metrics[k].TrainLoss, 1e-5);
                Assert.Equal(dpsgd.Metrics[k].ConsensusDistance, run.Metrics[k].ConsensusDistance, 1e-6);
                Assert.Equal(dpsgd.Metrics[k].MeanAcc, run.Metrics[k].MeanAcc, 0.02);
            }
            for (int i = 0; i < 4; i++)
            for (int k = 0; k < dpsgd.FinalAgentParameters[i]!.Length; k++)
                Assert.Equal(dpsgd.FinalAgentParameters[i]![k], run.FinalAgentParameters[i]![k], 1e-5);
        }
        Assert.NotEqual(dpsgd.FinalAgentParameters[0], choco.FinalAgentParameters[0]);   // equal up to rounding, not bit for bit
    }

    [Theory]
    [InlineData("top-k")]
    [InlineData("random-k")]
    public void Sparse_dpsgd_is_equal_on_one_and_two_threads_and_sends_exactly_the_stated_bytes(string compressor)
    {
        string[] sets = [.. Ring, "algorithm.name=sparse-dpsgd", $"algorithm.sparse-dpsgd.compressor={compressor}", "algorithm.sparse-dpsgd.ratio=0.2"];
        var one = LocalRun.Run(TinySync.Setup([.. sets, "threads=1"]));
        var two = LocalRun.Run(TinySync.Setup([.. sets, "threads=2"]));
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        int d = TinySync.Setup(sets).Plan.ParameterCount, k = new CompressorSettings(0.2, 1, 0).CountOf(d);
        long message = CompressedVector.HeaderBytes + (compressor == "top-k" ? 8L : 4L) * k;
        Assert.Equal(new Dictionary<string, long> { [CompressedVector.KindName] = 6L * 8 * message }, one.BytesByKind);
    }

    [Fact]
    public void Asynchronous_drops_leave_copies_behind_and_are_counted_per_receiver()
    {
        string[] sets = Choco("top-k", "mode=async", "rounds=12", "network.latency.dist=lognormal", "network.latency.median=15ms",
            "network.drop=0.2", "network.max-staleness=1", "network.wait-timeout=30ms");
        var setup = TinySync.Setup(sets);
        var run = LocalRun.Run(setup);
        Assert.Null(run.Error);
        var descriptor = setup.Plan.Config.Algorithm.Descriptor;
        var missed = descriptor.AgentColumns(setup).Single(c => c.Header == "missed_updates");
        long total = Enumerable.Range(0, 4).Sum(i => long.Parse(missed.ValueOf(i)));
        output.WriteLine($"dropped {run.Async!.Dropped}, lost {run.Async.Lost}, missed at receivers {total}");
        // Each missed update is a dropped or lost message; the ones after a receiver's last arrival are not counted yet.
        Assert.InRange(total, 1, run.Async.Dropped + run.Async.Lost);
        Assert.Contains($"- missed updates (q's dropped or lost before they reached a neighbour): {total} in all", descriptor.Report(setup));
        Assert.True(double.IsFinite(run.Metrics[^1].TrainLoss));
        // A synchronous run misses nothing.
        var syncSetup = TinySync.Setup(Choco("top-k"));
        Assert.Null(LocalRun.Run(syncSetup).Error);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal("0", syncSetup.Plan.Config.Algorithm.Descriptor.AgentColumns(syncSetup)[0].ValueOf(i)));
        Assert.DoesNotContain("missed updates", syncSetup.Plan.Config.Algorithm.Descriptor.Report(syncSetup));
    }

    [Fact]
    public void Compressed_vectors_through_the_wire_serializer_give_the_same_run()
    {
        var setup = TinySync.Setup(Choco("qsgd", "threads=2"));
        var plain = LocalRun.Run(setup);
        var serialized = LocalRun.Run(setup, akkaOverrides:
            ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(ClusterAkkaConfig.WireBindings()));
        Assert.Null(serialized.Error);
        Assert.Equal(Deterministic(plain), Deterministic(serialized));
        Assert.Equal(plain.FinalAgentParameters, serialized.FinalAgentParameters);
        Assert.Equal(plain.BytesByKind, serialized.BytesByKind);
    }

    [Theory]
    [InlineData("choco")]
    [InlineData("sparse-dpsgd")]
    [Trait(TestCategories.Category, TestCategories.Slow)]
    public async Task Three_actor_systems_give_the_single_process_run_bit_for_bit(string algorithm)
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Ring, $"algorithm.name={algorithm}", "algorithm.choco.compressor=random-k",
            "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB"]);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);
        await using var running = InProcessCluster.Start(loaded, setup,
            workerSetups: [HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config)]);
        var cluster = (await running.Result(90)).Run;
        Assert.Null(cluster.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, cluster.FinalAgentAccuracies);
        Assert.Equal(single.BytesByKind, cluster.BytesByKind);
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.Slow)]
    public async Task An_asynchronous_choco_run_with_drops_on_three_actor_systems_gives_the_single_process_run_bit_for_bit()
    {
        // q's are added in arrival order, so this holds only if every host delivers in the single process's order.
        var loaded = ExperimentConfigLoader.Load(null, Choco("random-k", "mode=async", "rounds=8", "eval-every=4", "threads=1",
            "cluster.workers=2", "cluster.chunk-size=4KB", "network.latency.dist=lognormal", "network.latency.median=15ms",
            "network.latency.sigma=0.8", "network.drop=0.2", "network.max-staleness=1", "network.wait-timeout=30ms"));
        var setup = HostProcess.Build(loaded.Config);
        string dir = Directory.CreateTempSubdirectory("dkd-choco-async-cluster-").FullName;
        try
        {
            string singleEvents = Path.Combine(dir, "single.jsonl"), clusterEvents = Path.Combine(dir, "cluster.jsonl");
            RunResult single;
            using (var events = new EventsJsonl(singleEvents)) single = LocalRun.Run(setup, asyncObserver: events);
            Assert.Null(single.Error);
            Assert.True(single.Async!.Dropped > 0);
            ClusterRunResult cluster;
            var coordinatorSetup = HostProcess.Build(loaded.Config);
            using (var events = new EventsJsonl(clusterEvents))
            {
                await using var running = InProcessCluster.Start(loaded, coordinatorSetup, events: events,
                    workerSetups: [HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config)]);
                cluster = await running.Result(90);
            }
            Assert.Null(cluster.Run.Error);
            Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Run.Metrics));
            Assert.Equal(File.ReadAllLines(singleEvents), File.ReadAllLines(clusterEvents));
            Assert.Equal(single.FinalAgentAccuracies, cluster.Run.FinalAgentAccuracies);
            // The agents ran on the workers: the coordinator's report says so instead of showing zeros.
            Assert.Contains("not counted in this process", coordinatorSetup.Plan.Config.Algorithm.Descriptor.Report(coordinatorSetup));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.Slow)]
    public void Choco_top_k_ten_percent_learns_fashion_mnist_well_above_chance()
    {
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null,
            ["agents=4", "rounds=150", "eval-every=75", "dataset.test-samples=1000", "partition.kind=iid", "model.name=mlp", "model.hidden=[64]",
             "algorithm.name=choco", "algorithm.choco.compressor=top-k", "algorithm.choco.ratio=0.1", "threads=2"]).Config);
        var run = LocalRun.Run(setup);
        Assert.Null(run.Error);
        var last = run.Metrics[^1];
        output.WriteLine($"mean acc {last.MeanAcc:P1}, averaged model {last.AvgModelAcc:P1}, consensus {last.ConsensusDistance:G3}");
        Assert.True(last.MeanAcc > 0.6, $"mean accuracy {last.MeanAcc} (chance 0.1)");
        Assert.True(last.AvgModelAcc > 0.6, $"averaged-model accuracy {last.AvgModelAcc}");
        // Per tensor (the default scope): a 4-byte segment count, then per tensor 9 header bytes + k coordinates and k
        // values, k = ⌈0.1·d_t⌉, on 8 directed links for 150 rounds: about a fifth of D-PSGD's.
        var settings = new CompressorSettings(0.1, 1, 0);
        long message = SegmentedVector.HeaderBytes + setup.Plan.TensorLengths.Sum(d => CompressedVector.HeaderBytes + 8L * settings.CountOf(d));
        Assert.Equal(150L * 8 * message, last.BytesSent);
    }
}
