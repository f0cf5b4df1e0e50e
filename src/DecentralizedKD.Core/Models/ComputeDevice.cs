using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// Where a model's forward and backward passes run. Parameters and gradients always have their master copy in CPU
/// memory: the flat spans that gossip, optimizers, checkpoints and the wire work on. On a <see cref="Staged"/> device
/// the model's own tensors are a second flat buffer on that device, which <see cref="FlatParameters"/> fills before a
/// pass and reads the gradients back from after it; inputs go there with <see cref="Put"/>, results come back with
/// <see cref="Host"/>.
/// </summary>
public sealed class ComputeDevice
{
    private readonly DeviceType _type;
    private readonly int _index;
    private Device? _torch;

    private ComputeDevice(DeviceType type, int index, bool staged, string name)
    {
        _type = type;
        _index = index;
        Staged = staged;
        Name = name;
    }

    /// <summary>The default: the model's parameters are the CPU spans themselves, no copies.</summary>
    public static ComputeDevice Cpu { get; } = new(DeviceType.CPU, -1, false, "cpu");

    /// <summary>
    /// The GPU code path run on the CPU: parameters and gradients in their own device-side buffers, copied in and out
    /// exactly where a GPU needs it. Results equal <see cref="Cpu"/> bit for bit, so a CPU-only machine can check the
    /// staging: a copy that is missing or misplaced shows up as a different result.
    /// </summary>
    public static ComputeDevice StagedCpu { get; } = new(DeviceType.CPU, -1, true, "cpu-staged");

    public static ComputeDevice Cuda(int index) => new(DeviceType.CUDA, index, true, $"cuda:{index}");

    public string Name { get; }

    /// <summary>Whether the model's tensors live in a buffer of their own (GPU memory, or a second CPU buffer).</summary>
    public bool Staged { get; }

    public bool IsCuda => _type == DeviceType.CUDA;

    public Device Torch => _torch ??= IsCuda ? new Device(DeviceType.CUDA, _index) : CPU;

    /// <summary>An input tensor on this device: the tensor itself on the CPU, else a copy there (owned by the current dispose scope).</summary>
    public Tensor Put(Tensor t) => IsCuda ? t.to(Torch) : t;

    /// <summary>A result tensor in CPU memory (readable as a span): the tensor itself when it is already there.</summary>
    public static Tensor Host(Tensor t) => t.device_type == DeviceType.CPU ? t : t.cpu();

    public override string ToString() => Name;
}
