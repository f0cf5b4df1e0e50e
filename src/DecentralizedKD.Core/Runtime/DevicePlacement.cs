using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Runtime;

/// <summary>
/// Which device each agent of this process computes on, from <c>experiment.device</c>: <c>cpu</c>; <c>cuda</c>, the
/// agents spread over every GPU this process sees (CUDA_VISIBLE_DEVICES picks them), slot k on GPU k mod G, and an
/// error when there is none; <c>auto</c>, the GPUs when there are any, else the CPU; <c>cpu-staged</c>, the GPU code
/// path on the CPU (see <see cref="ComputeDevice.StagedCpu"/>). A slot is the agent's position among the agents of
/// its host, so every host balances its own agents over its own GPUs.
/// </summary>
public sealed class DevicePlacement
{
    private readonly IReadOnlyList<ComputeDevice> _agents;
    private readonly string? _agentError;

    private DevicePlacement(IReadOnlyList<ComputeDevice> agents, ComputeDevice evaluation, string? agentError = null)
    {
        _agents = agents;
        Evaluation = evaluation;
        _agentError = agentError;
    }

    /// <summary>The devices agents take in turn; throws <see cref="InputException"/> when the setting cannot be met here (cuda without a GPU).</summary>
    public IReadOnlyList<ComputeDevice> AgentDevices => _agentError is null ? _agents : throw new InputException(_agentError);

    /// <summary>The averaged-model evaluator's device: the first GPU when there is one (also on a coordinator without agents), else the CPU.</summary>
    public ComputeDevice Evaluation { get; }

    public ComputeDevice ForSlot(int slot) => AgentDevices[(int)((uint)slot % (uint)_agents.Count)];

    /// <summary>The placement for <paramref name="setting"/> given <paramref name="gpus"/> visible GPUs.</summary>
    public static DevicePlacement For(DeviceSetting setting, int gpus)
    {
        var cuda = Enumerable.Range(0, gpus).Select(ComputeDevice.Cuda).ToArray();
        return setting switch
        {
            DeviceSetting.Cpu => new([ComputeDevice.Cpu], ComputeDevice.Cpu),
            DeviceSetting.CpuStaged => new([ComputeDevice.StagedCpu], ComputeDevice.StagedCpu),
            DeviceSetting.Auto => gpus > 0 ? new(cuda, cuda[0]) : new([ComputeDevice.Cpu], ComputeDevice.Cpu),
            DeviceSetting.Cuda when gpus > 0 => new(cuda, cuda[0]),
            // A coordinator node holds no agents: it evaluates on the CPU and never asks for AgentDevices.
            _ => new([ComputeDevice.Cpu], ComputeDevice.Cpu,
                "experiment.device = cuda: this process sees no CUDA device (" + CudaAbsence() + "); use auto to fall back to the CPU"),
        };
    }

    /// <summary>The placement on this machine. Also makes GPU arithmetic as reproducible as it gets (no TF32).</summary>
    public static DevicePlacement ForThisProcess(DeviceSetting setting)
    {
        int gpus = setting is DeviceSetting.Cuda or DeviceSetting.Auto ? VisibleGpus() : 0;
        if (gpus > 0) DisableTf32();
        return For(setting, gpus);
    }

    private static int VisibleGpus() => cuda.is_available() ? cuda.device_count() : 0;

    private static string CudaAbsence() =>
#if TORCH_CUDA
        "built with -p:TorchBackend=cuda, but libtorch finds no GPU or driver";
#else
        "this build uses the CPU libtorch; build with -p:TorchBackend=cuda on a machine that can restore TorchSharp-cuda-linux";
#endif

    private static void DisableTf32()
    {
        // TF32 matmuls and convolutions round to 10-bit mantissas: results would depend on the GPU generation.
        backends.cuda.matmul.allow_tf32 = false;
        backends.cudnn.allow_tf32 = false;
    }
}
