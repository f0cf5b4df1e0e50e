using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Runtime;
using Xunit;

namespace DecentralizedKD.Core.Tests.Runtime;

public sealed class DevicePlacementTests
{
    [Fact]
    public void Cuda_spreads_a_hosts_agents_over_its_gpus_in_turn()
    {
        var p = DevicePlacement.For(DeviceSetting.Cuda, 3);
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:0", "cuda:1", "cuda:2", "cuda:0"],
            Enumerable.Range(0, 7).Select(slot => p.ForSlot(slot).Name));
        Assert.All(p.AgentDevices, d => Assert.True(d.IsCuda && d.Staged));
        Assert.Equal("cuda:0", p.Evaluation.Name);
    }

    [Fact]
    public void Auto_takes_the_gpus_when_there_are_any_and_else_the_cpu()
    {
        Assert.Equal(["cuda:0", "cuda:1"], DevicePlacement.For(DeviceSetting.Auto, 2).AgentDevices.Select(d => d.Name));
        var cpu = DevicePlacement.For(DeviceSetting.Auto, 0);
        Assert.Same(ComputeDevice.Cpu, cpu.ForSlot(5));
        Assert.Same(ComputeDevice.Cpu, cpu.Evaluation);
    }

    [Fact]
    public void Cuda_without_a_gpu_refuses_agents_but_a_coordinator_still_evaluates_on_the_cpu()
    {
        var p = DevicePlacement.For(DeviceSetting.Cuda, 0);
        var e = Assert.Throws<InputException>(() => p.AgentDevices);
        Assert.StartsWith("experiment.device = cuda: this process sees no CUDA device", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InputException>(() => p.ForSlot(0));
        Assert.Same(ComputeDevice.Cpu, p.Evaluation);
    }

    [Fact]
    public void Cpu_settings_ignore_gpus()
    {
        Assert.Same(ComputeDevice.Cpu, DevicePlacement.For(DeviceSetting.Cpu, 4).ForSlot(1));
        Assert.Same(ComputeDevice.StagedCpu, DevicePlacement.For(DeviceSetting.CpuStaged, 4).ForSlot(1));
        Assert.Same(ComputeDevice.StagedCpu, DevicePlacement.For(DeviceSetting.CpuStaged, 0).Evaluation);
        Assert.Equal("experiment.device = 'tpu': expected one of cpu | cuda | auto | cpu-staged",
            Assert.Throws<InputException>(() => DeviceSettings.Table.Parse("tpu", "experiment.device")).Message);
    }

#if !TORCH_CUDA
    [Fact]
    public void The_cpu_libtorch_sees_no_gpu_so_auto_means_the_cpu()
    {
        // The default build loads the CPU libtorch, where torch.cuda.is_available() is false even on a GPU machine.
        Assert.Same(ComputeDevice.Cpu, DevicePlacement.ForThisProcess(DeviceSetting.Auto).ForSlot(0));
        Assert.Throws<InputException>(() => DevicePlacement.ForThisProcess(DeviceSetting.Cuda).AgentDevices);
    }
#endif
}
