using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Tests.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Hosting.Tests.Extension;

// One plug-in of every kind other than methods (PushSumTests covers those), each defined in this file as a plug-in
// author outside the engine would: its class, its descriptor, and one Register call. No engine file names any of them.

/// <summary>Softmax regression on the flattened input: a model with no hidden layer, so no feature layer to distil on.</summary>
public sealed class LinearModel : ClassifierModel
{
    private readonly TorchSharp.Modules.Linear _head;

    public LinearModel(int inputs, int classes) : base(nameof(LinearModel), inputs, classes)
    {
        _head = nn.Linear(inputs, classes);
        RegisterComponents();
    }

    public override Tensor Features(Tensor x) => x.flatten(1);
    public override Tensor Classify(Tensor features) => _head.forward(features);
}

public sealed class LinearModelDescriptor : ModelDescriptor
{
    public override string Name => "linear";
    public override string Description => "softmax regression on the flattened input";
    public override bool HasFeatureLayer => false;
    public override ClassifierModel Build(ModelSpec spec) => new LinearModel(spec.InputShape.Aggregate(1, (a, b) => a * b), spec.NumClasses);
}

/// <summary><c>dataset.stripes</c>: how many samples, and the stripe count that sets the class.</summary>
public sealed record StripesSettings(int Samples, int Classes);

/// <summary>8×8 images with a bright row whose position (mod classes) is the label, plus seeded noise.</summary>
public sealed class StripesDataset : DatasetDescriptor
{
    public override string Name => "stripes";
    public override string Description => "8×8 images of one bright row; the row gives the class";

    public override ConfigSection Section { get; } = OwnSection("stripes",
        """
        samples = 360             # training samples (the test set has a third as many)
        classes = 4
        """,
        r => new StripesSettings(r.Int("samples", 8, 100_000), r.Int("classes", 2, 8)));

    public override string CacheKey(DatasetConfig config, ulong seed)
    {
        var s = config.Settings.Get<StripesSettings>();
        return $"stripes:{s.Samples}:{s.Classes}:{seed}";
    }

    public override TrainTestSets Load(DatasetConfig config, ulong seed)
    {
        var s = config.Settings.Get<StripesSettings>();
        var rng = new Rng(Rng.DeriveSeed(seed, -1, "stripes"));
        Dataset Make(string name, int count)
        {
            var x = new float[count * 64];
            var y = new int[count];
            for (int i = 0; i < count; i++)
            {
                y[i] = i % s.Classes;
                int row = y[i] * (8 / s.Classes);
                for (int p = 0; p < 64; p++) x[i * 64 + p] = (p / 8 == row ? 1f : 0f) + 0.3f * (float)rng.NextNormal();
            }
            return new Dataset(name, [1, 8, 8], s.Classes, x, y);
        }
        return new TrainTestSets(Make("stripes-train", s.Samples), Make("stripes-test", s.Samples / 3));
    }
}

/// <summary><c>partition.round-robin</c>: sample k goes to agent (k + offset) mod n.</summary>
public sealed record RoundRobinSettings(int Offset);

public sealed class RoundRobinPartitioner : PartitionerDescriptor
{
    public override string Name => "round-robin";
    public override string Description => "sample k of the training set to agent (k + offset) mod agents";

    public override ConfigSection Section { get; } = OwnSection("round-robin", "offset = 0", r => new RoundRobinSettings(r.Int("offset", 0, 1000)));

    public override PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng)
    {
        int offset = spec.Settings.Get<RoundRobinSettings>().Offset;
        return new(Enumerable.Range(0, spec.Agents).Select(a => indices.Where((_, k) => (k + offset) % spec.Agents == a).ToArray()).ToArray());
    }
}

/// <summary>The path 0 – 1 – … – n−1: a ring with one edge cut, the slowest-mixing connected graph.</summary>
public sealed class PathTopology : TopologyKindDescriptor
{
    public override string Name => "path";
    public override string Description => "agents on a line: i linked to i ± 1, no wrap-around";
    public override Graph Build(int agents, TopologyOptions options) => new(agents, Enumerable.Range(0, agents - 1).Select(i => (i, i + 1)));
}

/// <summary>The ring in even rounds, the complete graph every <c>period</c>-th round.</summary>
public sealed record RingThenFullSettings(int Period);

public sealed class RingThenFullSchedule(int agents, int period, MixingKind mixing, double gamma) : RoundGraphSchedule(agents)
{
    public override int Period => period;

    protected override RoundLinks Build(int round) =>
        FromGraph(round % period == period - 1 ? DeterministicGraphs.Full(Agents) : DeterministicGraphs.Ring(Agents), mixing, gamma);
}

public sealed class RingThenFullScheduleDescriptor : ScheduleDescriptor
{
    public override string Name => "ring-then-full";
    public override string Description => "the ring, with one round of the complete graph every period rounds";

    public override ConfigSection Section { get; } = OwnSection("ring-then-full", "period = 3", r => new RingThenFullSettings(r.Int("period", 2, 1000)));

    public override ITopologySchedule Create(ScheduleContext c) =>
        new RingThenFullSchedule(c.Agents, c.Settings.Get<RingThenFullSettings>().Period, c.Mixing, c.Gamma);
}

[Collection("engine")]
public sealed class PluginKindsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-plugin-kinds-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    static PluginKindsTests()
    {
        ModelRegistry.Register(new LinearModelDescriptor());
        DatasetRegistry.Register(new StripesDataset());
        PartitionerRegistry.Register(new RoundRobinPartitioner());
        TopologyKindRegistry.Register(new PathTopology());
        ScheduleRegistry.Register(new RingThenFullScheduleDescriptor());
    }

    private static readonly string[] Plugged =
    [
        "dataset.name=stripes", "dataset.stripes.samples=240", "model.name=linear", "partition.kind=round-robin",
        "partition.round-robin.offset=1", "topology.kind=path", "agents=4", "algorithm.name=dpsgd", "optimizer.batch-size=16",
        "rounds=6", "eval-every=3",
    ];

    private static readonly string[] Scheduled = [.. Plugged, "topology.schedule=ring-then-full", "topology.ring-then-full.period=2"];

    private static LoadedExperiment Load(params string[] sets) => ExperimentConfigLoader.Load(null, sets);

    [Fact]
    public void Every_kind_is_selected_by_its_word_and_its_section_is_read_checked_and_listed_only_when_it_runs()
    {
        var loaded = Load(Scheduled);
        var c = loaded.Config;
        Assert.IsType<StripesDataset>(c.Dataset.Source);
        Assert.IsType<LinearModelDescriptor>(c.Model.Architecture);
        Assert.IsType<RoundRobinPartitioner>(c.Partition.Kind);
        Assert.IsType<PathTopology>(c.Topology.Kind);
        Assert.IsType<RingThenFullScheduleDescriptor>(c.Topology.Schedule);
        Assert.Equal(1, c.Partition.Settings.Get<RoundRobinSettings>().Offset);
        Assert.Equal(2, c.Topology.Settings.Get<RingThenFullSettings>().Period);
        Assert.Contains("experiment.dataset.stripes.samples = \"240\"", loaded.ResolvedText);
        Assert.Contains("experiment.topology.ring-then-full.period = \"2\"", loaded.ResolvedText);

        // A bad value in a plug-in's own section is one line naming the full key, like any other key.
        Assert.Equal("experiment.partition.round-robin.offset = -1: expected an integer in [0, 1000]",
            Assert.Throws<InputException>(() => Load([.. Plugged, "partition.round-robin.offset=-1"])).Message);
        Assert.Equal("experiment.model.name = 'linaer': expected one of mlp | lenet5 | resnet20 | linear",
            Assert.Throws<InputException>(() => Load([.. Plugged, "model.name=linaer"])).Message);

        // A run that uses none of them: their sections stay out of its config.conf (its hash and fingerprint are unchanged).
        string other = Load(TinySync.Sets).ResolvedText;
        foreach (string section in new[] { "stripes", "round-robin", "ring-then-full" }) Assert.DoesNotContain(section, other);
        // ... and each is listed next to the built-in ones of its kind.
        Assert.Contains(PluginCatalog.Registries, r => r.ListName == "topologies" && r.Plugins.Any(p => p is PathTopology));
    }

    [Fact]
    public void The_plug_ins_build_what_they_say()
    {
        var setup = HostProcess.Build(Load(Scheduled).Config);
        Assert.Equal(240, setup.Plan.Data.Train.Count);
        Assert.Equal(80, setup.Plan.Data.Test.Count);
        // Round robin with offset 1: agent 1 holds training samples 0, 4, 8, …
        Assert.Equal(60, setup.Plan.Partition.AgentIndices[1].Length);
        Assert.Equal([0, 4, 8], setup.Plan.Partition.AgentIndices[1][..3]);
        // Ring in round 0, the full graph in round 1 (period 2); agent 0 may talk to everyone.
        Assert.Equal([1, 3], setup.Plan.Topology.Row(0, 0).Neighbours);
        Assert.Equal([1, 2, 3], setup.Plan.Topology.Row(0, 1).Neighbours);
        // The path itself, under the static schedule.
        var path = HostProcess.Build(Load(Plugged).Config);
        Assert.Equal([[1], [0, 2], [1, 3], [2]], path.Plan.NeighbourLists.Select(l => l.ToArray()).ToArray());
    }

    [Fact]
    public void A_method_that_needs_what_a_plug_in_lacks_is_refused_in_one_line()
    {
        var e = Assert.Throws<InputException>(() => Load([.. Plugged, "algorithm.name=ccl"]));
        Assert.Equal("experiment.model.name = linear: algorithm 'ccl' distils on the model's features, and this model has no feature layer", e.Message);
    }

    [Fact]
    public void Sync_runs_on_one_and_two_threads_and_async_runs_repeat_bit_for_bit()
    {
        var one = LocalRun.Run(HostProcess.Build(Load([.. Scheduled, "threads=1"]).Config));
        var two = LocalRun.Run(HostProcess.Build(Load([.. Scheduled, "threads=2"]).Config));
        Assert.Null(one.Error);
        Assert.Equal(DeterministicMetrics.Deterministic(one.Metrics), DeterministicMetrics.Deterministic(two.Metrics));
        Assert.Equal(one.FinalAgentAccuracies, two.FinalAgentAccuracies);
        // The stripes are easy: training on them beats chance (1/4) by a wide margin within six rounds.
        Assert.True(one.Metrics[^1].MeanAcc > 0.5, $"mean accuracy {one.Metrics[^1].MeanAcc}");

        string[] async = [.. Scheduled, "mode=async", "network.latency.dist=lognormal", "network.latency.median=5ms", "network.drop=0.1"];
        var first = LocalRun.Run(HostProcess.Build(Load(async).Config));
        var again = LocalRun.Run(HostProcess.Build(Load(async).Config));
        Assert.Null(first.Error);
        Assert.Equal(DeterministicMetrics.Deterministic(first.Metrics), DeterministicMetrics.Deterministic(again.Metrics));
        Assert.Equal(first.FinalAgentAccuracies, again.FinalAgentAccuracies);
    }

    [Fact]
    public void A_run_halted_at_a_checkpoint_and_resumed_equals_the_uninterrupted_one()
    {
        // The ring-then-full schedule switches graphs across the checkpoint of round 3 (period 2).
        var loaded = Load([.. Scheduled, "rounds=8", "eval-every=4", "checkpoint.every=3"]);
        var setup = HostProcess.Build(loaded.Config);
        var reference = LocalRun.Run(setup);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        Assert.Equal("halted after the checkpoint of round 3", LocalRun.Run(setup, checkpoints: new RunCheckpoints(_dir, loaded.Config, hash) { HaltAfter = 3 }).Error);
        var checkpoints = new RunCheckpoints(_dir, loaded.Config, hash);
        var resumed = LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: checkpoints.Open());
        Assert.Equal(DeterministicMetrics.Deterministic(reference.Metrics), DeterministicMetrics.Deterministic(resumed.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, resumed.FinalAgentAccuracies);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Three_actor_systems_give_the_single_process_metrics_bit_for_bit()
    {
        var loaded = Load([.. Scheduled, "threads=1", "cluster.workers=2"]);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);
        await using var running = InProcessCluster.Start(loaded, setup,
            workerSetups: [HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config)]);
        var cluster = (await running.Result(90)).Run;
        Assert.Null(cluster.Error);
        Assert.Equal(DeterministicMetrics.Deterministic(single.Metrics), DeterministicMetrics.Deterministic(cluster.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, cluster.FinalAgentAccuracies);
    }
}
