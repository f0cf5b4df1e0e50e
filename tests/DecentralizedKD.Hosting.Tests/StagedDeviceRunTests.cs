using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// <c>experiment.device = cpu-staged</c> runs every method through the GPU code path on the CPU: each model computes
/// on its own device-side buffers, filled from the flat CPU parameters before every pass and read back for the
/// gradients after it. Any learner, evaluator or scorer that skipped a copy would compute with stale parameters or
/// hand zero gradients to the optimizer, so the run must come out bit for bit like <c>device = cpu</c>.
/// </summary>
[Collection("engine")]
public sealed class StagedDeviceRunTests
{
    private static readonly string[] Synthetic =
    [
        "agents=4", "rounds=12", "eval-every=4", "dataset.name=synthetic", "dataset.synthetic.train-size=1000",
        "dataset.synthetic.test-size=200", "dataset.synthetic.shape=[16]", "dataset.synthetic.separability=5",
        "partition.alpha=0.5", "model.name=mlp", "model.hidden=[16]", "optimizer.lr=0.1",
    ];

    public static TheoryData<string, string[]> Methods => new()
    {
        { "local", ["algorithm.name=local"] },
        { "dpsgd", ["algorithm.name=dpsgd"] },
        { "qgm", ["algorithm.name=qgm"] },
        { "choco qsgd", ["algorithm.name=choco", "algorithm.choco.compressor=qsgd"] },
        { "sparse-dpsgd", ["algorithm.name=sparse-dpsgd"] },
        { "ccl mse", ["algorithm.name=ccl"] },
        { "ccl infonce", ["algorithm.name=ccl", "algorithm.ccl.loss=infonce"] },
        // Exchanges end rounds 6 and 9: scoring, selection and fine-tuning on soft labels all run.
        { "idkd youden", ["algorithm.name=idkd", "dataset.public-fraction=0.25", "algorithm.idkd.start=0.5", "algorithm.idkd.period=0.25",
            "algorithm.idkd.calibration=youden", "algorithm.idkd.validation-fraction=0.2"] },
        { "mhd", ["algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.2", "algorithm.mhd.public-batch-size=8"] },
        { "fedavg", ["algorithm.name=fedavg", "optimizer.local-steps=2"] },
        { "feddkd", ["algorithm.name=feddkd", "optimizer.local-steps=2", "algorithm.feddkd.kd-batches=2", "algorithm.feddkd.lr=0.05"] },
        { "qgm async", ["algorithm.name=qgm", "mode=async", "network.latency.dist=lognormal", "compute.step-time=20ms"] },
    };

    private static (RunResult Run, FinalAgentMetrics[] Final) Run(string device, string[] method)
    {
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Synthetic, .. method, $"device={device}"]).Config);
        var run = LocalRun.Run(setup);
        Assert.Null(run.Error);
        return (run, FinalAgentMetrics.Evaluate(setup, run.FinalAgentParameters));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_staged_device_gives_the_cpu_run_bit_for_bit(string name, string[] method)
    {
        var (cpu, cpuFinal) = Run("cpu", method);
        var (staged, stagedFinal) = Run("cpu-staged", method);
        Assert.Equal(Deterministic(cpu), Deterministic(staged));
        Assert.Equal(cpu.FinalAgentAccuracies, staged.FinalAgentAccuracies);
        Assert.Equal(cpu.FinalAgentParameters.Count, staged.FinalAgentParameters.Count);
        for (int i = 0; i < cpu.FinalAgentParameters.Count; i++)
        {
            Assert.NotNull(cpu.FinalAgentParameters[i]);
            Assert.True(cpu.FinalAgentParameters[i].AsSpan().SequenceEqual(staged.FinalAgentParameters[i]), $"{name}: agent {i}'s final parameters differ");
        }
        // agents.csv's private and per-head accuracies come from the evaluator on the staged device as well.
        Assert.Equal(cpuFinal.Select(f => (f.PrivateAccuracy, string.Join(",", f.AuxiliaryHeadAccuracies))),
            stagedFinal.Select(f => (f.PrivateAccuracy, string.Join(",", f.AuxiliaryHeadAccuracies))));
        // Not a run that stood still: the agents learned something.
        Assert.NotEqual(cpu.Metrics[0].TrainLoss, cpu.Metrics[^1].TrainLoss);
    }

    [Fact]
    public void Agents_take_the_staged_device_and_the_evaluator_too()
    {
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Synthetic, "device=cpu-staged"]).Config);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Same(ComputeDevice.StagedCpu, setup.DeviceOf(i)));
        Assert.Same(ComputeDevice.StagedCpu, setup.Devices.Evaluation);
        var plain = HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Synthetic]).Config);
        Assert.Same(ComputeDevice.Cpu, plain.DeviceOf(3));
    }
}
