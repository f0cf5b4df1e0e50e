using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// All parameters of a model as ONE contiguous float32 buffer, and likewise all gradients. The constructor rebinds
/// every parameter to a view into <see cref="Flat"/> (<c>Tensor.set_</c>) and every gradient to a view into
/// <see cref="FlatGrad"/>, in <c>parameters()</c> order, as the reference script's bind_params does. Reading or writing
/// the whole model is then one span copy, gossip and optimizer updates can work on the spans directly, and in-place
/// updates by TorchSharp optimizers (and backward's gradient accumulation) land in the flat buffers.
/// </summary>
/// <remarks>
/// On a staged <see cref="ComputeDevice"/> (a GPU) the spans are the master copy and the model computes on a device
/// copy: call <see cref="ToDevice"/> before a forward pass and <see cref="GradientsToHost"/> after backward.
/// Keep gradients bound: clear them with <see cref="ZeroGrad"/> (or <c>optimizer.zero_grad()</c>, which zeroes in
/// place). A bound <see cref="ClassifierModel"/> turns <c>zero_grad(set_to_none: true)</c> into zeroing in place;
/// anything else that sets a gradient to null, or <c>Module.to(...)</c>, which replaces parameters, breaks the
/// aliasing, and <see cref="ViewsIntact"/> reports it.
/// </remarks>
public sealed class FlatParameters : IDisposable
{
    private readonly nn.Module _model;
    private readonly ClassifierModel[] _bound;
    // Staged devices only: the buffers the model's parameters and gradients alias; Flat/FlatGrad stay the master copy.
    private readonly Tensor? _deviceFlat;
    private readonly Tensor? _deviceGrad;
    private bool _disposed;

    public FlatParameters(nn.Module model) : this(model, ComputeDevice.Cpu) { }

    /// <summary>
    /// Binds <paramref name="model"/> on <paramref name="device"/>. On a staged device the model is moved there first
    /// (<c>Module.to</c>, before binding, since moving replaces the parameters) and its parameters and gradients alias
    /// device-side flat buffers; the CPU buffers start with the same values.
    /// </summary>
    public FlatParameters(nn.Module model, ComputeDevice device)
    {
        _model = model;
        Device = device;
        _bound = model.modules().Prepend(model).OfType<ClassifierModel>().ToArray();
        if (_bound.Any(m => m.FlatView is not null))
            throw new InvalidOperationException($"{model.GetName()} is already bound to a flat parameter view");
        if (device.IsCuda) model.to(device.Torch);

        var parameters = model.parameters().ToArray();
        long total = parameters.Sum(p => p.numel());
        if (total > Array.MaxLength) throw new InvalidOperationException($"{total} parameters do not fit one span");
        Count = (int)total;
        Flat = HostBuffer(total, device);
        FlatGrad = HostBuffer(total, device);
        if (device.Staged)
        {
            _deviceFlat = zeros(total, ScalarType.Float32, device.Torch);
            _deviceGrad = zeros(total, ScalarType.Float32, device.Torch);
        }
        var parameterBuffer = _deviceFlat ?? Flat;
        var gradientBuffer = _deviceGrad ?? FlatGrad;
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            if (p.dtype != ScalarType.Float32 || p.device_type != device.Torch.type)
                throw new InvalidOperationException($"flat parameter views need float32 parameters on {device}");
            long n = p.numel();
            // The parameter and its gradient share the slices' storage; the temporary view handles can go at once.
            if (device.Staged)
                using (var hostView = Flat.narrow(0, offset, n).view(p.shape)) hostView.copy_(p);
            using (var view = parameterBuffer.narrow(0, offset, n).view(p.shape))
            {
                view.copy_(p);
                p.set_(view);
            }
            using (var gradView = gradientBuffer.narrow(0, offset, n).view(p.shape)) p.grad = gradView;
            offset += n;
        }
        foreach (var m in _bound) m.FlatView = this;
    }

    /// <summary>CPU memory for a master buffer; pinned when a GPU reads and writes it, so the copies run at full speed.</summary>
    private static Tensor HostBuffer(long count, ComputeDevice device)
    {
        var buffer = zeros(count, ScalarType.Float32);
        if (!device.IsCuda) return buffer;
        var pinned = buffer.pin_memory();
        buffer.Dispose();
        return pinned;
    }

    /// <summary>Where the bound model computes.</summary>
    public ComputeDevice Device { get; }

    /// <summary>Number of parameters P.</summary>
    public int Count { get; }

    /// <summary>The parameters, a contiguous float32 tensor of shape [P] owned by this view.</summary>
    public Tensor Flat { get; }

    /// <summary>The gradients, a contiguous float32 tensor of shape [P] owned by this view.</summary>
    public Tensor FlatGrad { get; }

    public static int CountOf(nn.Module model) => checked((int)model.parameters().Sum(p => p.numel()));

    /// <summary>
    /// The length of each parameter tensor in the flat buffer, in its order (<c>parameters()</c> order): the segments a
    /// per-tensor compressor works on. They add up to <see cref="CountOf"/>.
    /// </summary>
    public static int[] TensorLengthsOf(nn.Module model) => model.parameters().Select(p => checked((int)p.numel())).ToArray();

    public Span<float> AsSpan() => Span(Flat);
    public Span<float> GradSpan() => Span(FlatGrad);

    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != Count) throw new ArgumentException($"expected room for {Count} parameters, got {destination.Length}");
        AsSpan().CopyTo(destination);
    }

    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Count) throw new ArgumentException($"expected {Count} parameters, got {source.Length}");
        source.CopyTo(AsSpan());
    }

    /// <summary>Zeroes the gradients (both copies on a staged device).</summary>
    public void ZeroGrad()
    {
        GradSpan().Clear();
        if (_deviceGrad is null) return;
        using var noGrad = no_grad();
        _deviceGrad.zero_();
    }

    /// <summary>
    /// Before a forward pass: the model's device-side parameters take the current CPU values, which algorithms,
    /// checkpoints and the wire write (no-op unless staged). Call it before the pass, never between a forward and its
    /// backward: an in-place write to parameters that autograd saved would invalidate the backward.
    /// </summary>
    public void ToDevice()
    {
        if (_deviceFlat is null) return;
        using var noGrad = no_grad();
        _deviceFlat.copy_(Flat);
    }

    /// <summary>After backward: the CPU gradient span takes the device-side gradients (no-op unless staged).</summary>
    public void GradientsToHost()
    {
        if (_deviceGrad is null) return;
        using var noGrad = no_grad();
        FlatGrad.copy_(_deviceGrad);
    }

    /// <summary>
    /// Whether every parameter and every gradient of the model still lies at its own offset in <see cref="Flat"/> and
    /// <see cref="FlatGrad"/> (a few native calls per parameter: for assertions and tests, not per step).
    /// </summary>
    public bool ViewsIntact()
    {
        if (Device.IsCuda) throw new NotSupportedException("ViewsIntact reads the views as CPU spans; it cannot check a CUDA model");
        var flat = Span(_deviceFlat ?? Flat);
        var flatGrad = Span(_deviceGrad ?? FlatGrad);
        int offset = 0;
        foreach (var p in _model.parameters())
        {
            if (!At(flat, p, offset)) return false;
            using var grad = p.grad;
            if (grad is null || !At(flatGrad, grad, offset)) return false;
            offset += (int)p.numel();
        }
        return offset == Count;
    }

    private static Span<float> Span(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private static bool At(Span<float> buffer, Tensor t, int offset)
    {
        if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous()) return false;
        var span = Span(t);
        return buffer.Overlaps(span, out int at) && at == offset && offset + span.Length <= buffer.Length;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var m in _bound)
            if (ReferenceEquals(m.FlatView, this)) m.FlatView = null;
        Flat.Dispose();
        FlatGrad.Dispose();
        _deviceFlat?.Dispose();
        _deviceGrad?.Dispose();
    }
}
