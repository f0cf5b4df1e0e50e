using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// MHD with agents of different models (<c>experiment.model.per-agent</c>: LeNet-5 and an MLP) on tiny synthetic 16×16
/// images: every agent trains its own architecture from its kind's common weights, logits cross between the kinds,
/// there is no averaged model, and the run is the same in sync, lock-step async, on a cluster and after a resume. One
/// model named per agent is the run without per-agent bit for bit.
/// </summary>
[Collection("engine")]
public sealed class HeterogeneousModelRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-hetero-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Tiny =
        ["algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.2", "agents=4", "rounds=6", "eval-every=3",
         "dataset.name=synthetic", "dataset.synthetic.train-size=600", "dataset.synthetic.test-size=100",
         "dataset.synthetic.shape=[1, 16, 16]", "model.name=mlp", "model.hidden=[16]", "algorithm.mhd.public-batch-size=8",
         "partition.alpha=0.5", "threads=1"];

    private const string Mixed = "model.per-agent=[{ agents = \"0,2\", name = lenet5 }, { agents = \"1,3\", name = mlp, hidden = [12] }]";

    private static LoadedExperiment Load(params string[] sets) => ExperimentConfigLoader.Load(null, [.. Tiny, .. sets]);

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(Load(sets).Config);

    [Fact]
    public void Each_agent_gets_its_kinds_model_and_common_weights_and_the_run_has_no_averaged_model()
    {
        var setup = Setup(Mixed);
        Assert.True(setup.Plan.ModelsDiffer);
        Assert.Equal(["lenet5(heads=3)", "mlp[12](heads=3)"], setup.Plan.ModelKinds.Select(k => k.Label));
        Assert.Equal([[0, 2], [1, 3]], setup.Plan.ModelKinds.Select(k => k.Agents));
        Assert.Equal(["lenet5(heads=3)", "mlp[12](heads=3)", "lenet5(heads=3)", "mlp[12](heads=3)"], Enumerable.Range(0, 4).Select(i => setup.Plan.ModelKindOf(i).Label));
        // MLP [12] with 2 extra heads on 256 inputs, 10 classes: 256·12+12 + 3·(12·10+10).
        Assert.Equal(256 * 12 + 12 + 3 * (12 * 10 + 10), setup.Plan.ParameterCountOf(1));
        Assert.Equal(12L * setup.Plan.ParameterCountOf(1), setup.Plan.ModelKindOf(1).TrainingStateBytes);
        Assert.Throws<InvalidOperationException>(() => setup.Plan.ParameterCount);   // no one count speaks for every agent

        using (var a0 = setup.CreateAgent(0, ComputeDevice.Cpu))
        using (var a1 = setup.CreateAgent(1, ComputeDevice.Cpu))
        using (var a2 = setup.CreateAgent(2, ComputeDevice.Cpu))
        using (var a3 = setup.CreateAgent(3, ComputeDevice.Cpu))
        {
            Assert.Equal(a0.Algorithm.Parameters.ToArray(), a2.Algorithm.Parameters.ToArray());   // one kind: one start
            Assert.Equal(a1.Algorithm.Parameters.ToArray(), a3.Algorithm.Parameters.ToArray());
            Assert.Equal(setup.Plan.ParameterCountOf(0), a0.Algorithm.Parameters.Length);
            Assert.Equal(setup.Plan.ParameterCountOf(1), a1.Algorithm.Parameters.Length);
        }

        var run = LocalRun.Run(setup);
        Assert.Null(run.Error);
        Assert.Equal([3, 6], run.Metrics.Select(m => m.Round));
        Assert.All(run.Metrics, m =>
        {
            Assert.True(double.IsNaN(m.AvgModelAcc) && double.IsNaN(m.ConsensusDistance));
            Assert.InRange(m.MeanAcc, 0, 1);
            Assert.True(double.IsFinite(m.TrainLoss));
            // metrics.csv leaves both cells empty.
            var cells = MetricsCsv.Format(m, averagedModel: false).Split(',');
            Assert.Equal(("", ""), (cells[6], cells[8]));
        });
        Assert.Equal(Enumerable.Range(0, 4).Select(setup.Plan.ParameterCountOf), run.FinalAgentParameters.Select(p => p!.Length));
        // Only logits travel: 6 rounds × 4 agents × 2 ring neighbours × 4 bytes · |P| = 8 · K = 2 · C = 10.
        Assert.Equal(new Dictionary<string, long> { ["logits"] = 6L * 4 * 2 * 4 * 8 * 2 * 10 }, run.BytesByKind);
        // Final metrics evaluate each agent on a model of its own kind, every auxiliary head included.
        var final = FinalAgentMetrics.Evaluate(setup, run.FinalAgentParameters);
        Assert.All(final, f => Assert.Equal(2, f.AuxiliaryHeadAccuracies.Length));
        for (int i = 0; i < 4; i++)
        {
            using var evaluator = new ScratchModelEvaluator(setup.Plan, ComputeDevice.Cpu, setup.Plan.ModelSpecOf(i));
            Assert.Equal(run.FinalAgentAccuracies[i], evaluator.Accuracy(run.FinalAgentParameters[i]), 12);
        }
    }

    [Fact]
    public void One_model_named_per_agent_is_the_run_without_per_agent_bit_for_bit()
    {
        var plain = LocalRun.Run(Setup("model.name=lenet5"));
        // experiment.model names another model: the entries decide, and one kind keeps the common initial-weights seed.
        var perAgent = LocalRun.Run(Setup("model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"2-3\", name = lenet5 }]"));
        Assert.Null(plain.Error);
        Assert.Equal(Deterministic(plain.Metrics), Deterministic(perAgent.Metrics));
        Assert.Equal(plain.FinalAgentParameters, perAgent.FinalAgentParameters);
        Assert.Equal(plain.BytesByKind, perAgent.BytesByKind);
        Assert.True(double.IsFinite(perAgent.Metrics[^1].AvgModelAcc) && double.IsFinite(perAgent.Metrics[^1].ConsensusDistance));
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void Lock_step_async_reproduces_the_synchronous_run_and_a_lossy_async_run_finishes()
    {
        var sync = LocalRun.Run(Setup(Mixed));
        var lockstep = LocalRun.Run(Setup(Mixed, "mode=async", "network.max-staleness=0"));
        Assert.Null(lockstep.Error);
        Assert.Equal(sync.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })),
            lockstep.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })));
        Assert.Equal(sync.FinalAgentParameters, lockstep.FinalAgentParameters);
        var lossy = LocalRun.Run(Setup(Mixed, "mode=async", "network.drop=0.3", "network.latency.dist=lognormal"));
        Assert.Null(lossy.Error);
        Assert.Equal(6, lossy.Metrics[^1].Round);
        Assert.All(lossy.Metrics, m => Assert.True(double.IsNaN(m.AvgModelAcc) && double.IsNaN(m.ConsensusDistance)));
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public async Task A_cluster_of_three_actor_systems_gives_the_single_process_metrics(string mode)
    {
        // 2 workers: agents {0,1} and {2,3}, so each host holds both kinds and logits cross hosts between kinds.
        var loaded = Load(Mixed, $"mode={mode}", "cluster.workers=2");
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);
        await using var cluster = InProcessCluster.Start(loaded, setup);
        var result = await cluster.Result(120);
        Assert.Null(result.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, result.Run.FinalAgentAccuracies);
        Assert.Equal(single.FinalAgentParameters, result.Run.FinalAgentParameters);
        Assert.Equal(single.BytesPerAgent, result.Run.BytesPerAgent);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public void Halted_after_a_checkpoint_and_resumed_gives_the_uninterrupted_run(string mode)
    {
        var loaded = Load(Mixed, $"mode={mode}", "checkpoint.every=2");
        var config = loaded.Config;
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        var reference = LocalRun.Run(HostProcess.Build(config));
        Assert.Null(reference.Error);

        string events = Path.Combine(_dir, "events.jsonl");
        RunResult first;
        using (var log = new EventsJsonl(events))
            first = LocalRun.Run(HostProcess.Build(config), asyncObserver: log, checkpoints: new RunCheckpoints(_dir, config, hash) { HaltAfter = 4 });
        Assert.Equal("halted after the checkpoint of round 4", first.Error);
        // Each agent's state file holds its own model's parameters and momentum buffer (4 bytes each), plus its data
        // stream and payloads: LeNet-5 agents' files are the larger ones.
        var setup = HostProcess.Build(config);
        long Size(int agent) => new FileInfo(Path.Combine(_dir, "checkpoint", "round-4", $"agent-{agent}.bin")).Length;
        for (int i = 0; i < 4; i++) Assert.InRange(Size(i), 8L * setup.Plan.ParameterCountOf(i), 8L * setup.Plan.ParameterCountOf(i) + 8192);
        Assert.True(Math.Min(Size(0), Size(2)) > Math.Max(Size(1), Size(3)), $"{Size(0)} {Size(1)} {Size(2)} {Size(3)}");

        var checkpoints = new RunCheckpoints(_dir, config, hash);
        IResumeState state = mode == "async" ? checkpoints.OpenAsync() : checkpoints.Open();
        RunResult resumed;
        using (var log = mode == "async" ? EventsJsonl.Continue(events, ((AsyncCoordinatorState)state).EventsBytes) : new EventsJsonl(Path.Combine(_dir, "unused.jsonl")))
            resumed = LocalRun.Run(HostProcess.Build(config), asyncObserver: log, checkpoints: checkpoints, resumeFrom: state);
        Assert.Null(resumed.Error);
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, resumed.FinalAgentAccuracies);
        Assert.Equal(reference.FinalAgentParameters, resumed.FinalAgentParameters);
    }
}
