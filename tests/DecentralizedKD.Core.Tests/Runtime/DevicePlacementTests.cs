using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Runtime;
using Xunit;

namespace DecentralizedKD.Core.Tests.Runtime;

public sealed class DevicePlacementTests
{
    [Fact]
    public void Cuda_spreads_a_hosts_agents_over_its_gpus_in_turn()
    {
        var p = DevicePlacement.For("cuda", 3);
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:0", "cuda:1", "cuda:2", "cuda:0"],
            Enumerable.Range(0, 7).Select(slot => p.ForSlot(slot).Name));
        Assert.All(p.AgentDevices, d => Assert.True(d.IsCuda && d.Staged));
        Assert.Equal("cuda:0", p.Evaluation.Name);
    }

    [Fact]
    public void Auto_takes_the_gpus_when_there_are_any_and_else_the_cpu()
    {
        Assert.Equal(["cuda:0", "cuda:1"], DevicePlacement.For("auto", 2).AgentDevices.Select(d => d.Name));
        var cpu = DevicePlacement.For("auto", 0);
        Assert.Same(ComputeDevice.Cpu, cpu.ForSlot(5));
        Assert.Same(ComputeDevice.Cpu, cpu.Evaluation);
    }

    [Fact]
    public void Cuda_without_a_gpu_refuses_agents_but_a_coordinator_still_evaluates_on_the_cpu()
    {
        var p = DevicePlacement.For("cuda", 0);
        var e = Assert.Throws<InputException>(() => p.AgentDevices);
        Assert.StartsWith("experiment.device = cuda: this process sees no CUDA device", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InputException>(() => p.ForSlot(0));
        Assert.Same(ComputeDevice.Cpu, p.Evaluation);
    }

    [Fact]
    public void Cpu_settings_ignore_gpus()
    {
        Assert.Same(ComputeDevice.Cpu, DevicePlacement.For("cpu", 4).ForSlot(1));
        Assert.Same(ComputeDevice.StagedCpu, DevicePlacement.For("cpu-staged", 4).ForSlot(1));
        Assert.Same(ComputeDevice.StagedCpu, DevicePlacement.For("cpu-staged", 0).Evaluation);
        Assert.Contains("expected one of cpu | cuda | auto | cpu-staged",
            Assert.Throws<InputException>(() => DevicePlacement.For("tpu", 0)).Message);
    }

#if !TORCH_CUDA
    [Fact]
    public void The_cpu_libtorch_sees_no_gpu_so_auto_means_the_cpu()
    {
        // The default build loads the CPU libtorch, where torch.cuda.is_available() is false even on a GPU machine.
        Assert.Same(ComputeDevice.Cpu, DevicePlacement.ForThisProcess("auto").ForSlot(0));
        Assert.Throws<InputException>(() => DevicePlacement.ForThisProcess("cuda").AgentDevices);
    }
#endif
}
