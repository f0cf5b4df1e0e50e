using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// All parameters of a model as ONE contiguous float32 buffer, and likewise all gradients. After construction every
/// parameter tensor is a view into <see cref="Flat"/> (<c>Tensor.set_</c>) and every gradient a view into
/// <see cref="FlatGrad"/>, so reading or writing the whole model is a single span copy and gossip/optimizer updates
/// work on the spans directly (the reference script's bind_params trick).
/// Gradients are cleared with <see cref="ZeroGrad"/>: Module.zero_grad would drop the views (it sets grad to null).
/// </summary>
public sealed class FlatParameters : IDisposable
{
    // The view tensors handed to the parameters are kept alive (and disposed) with this object rather than left to
    // the finalizer thread, so native handles are released at a well-defined time.
    private readonly List<Tensor> _views = [];

    public FlatParameters(nn.Module model)
    {
        var parameters = model.parameters().ToArray();
        long total = parameters.Sum(p => p.numel());
        if (total > int.MaxValue / 4) throw new InvalidOperationException("model too large for a flat span view");
        Count = (int)total;
        Flat = zeros(total, ScalarType.Float32);
        FlatGrad = zeros(total, ScalarType.Float32);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            if (p.dtype != ScalarType.Float32 || p.device_type != DeviceType.CPU)
                throw new InvalidOperationException("flat parameter views need float32 CPU parameters");
            long n = p.numel();
            var view = Flat.narrow(0, offset, n).view(p.shape);
            view.copy_(p);
            p.set_(view);
            var gradView = FlatGrad.narrow(0, offset, n).view(p.shape);
            p.grad = gradView;
            _views.Add(view);
            _views.Add(gradView);
            offset += n;
        }
    }

    public int Count { get; }
    public Tensor Flat { get; }
    public Tensor FlatGrad { get; }

    public static int CountOf(nn.Module model) => (int)model.parameters().Sum(p => p.numel());

    public Span<float> AsSpan() => MemoryMarshal.Cast<byte, float>(Flat.bytes);
    public Span<float> GradSpan() => MemoryMarshal.Cast<byte, float>(FlatGrad.bytes);

    public void CopyTo(Span<float> destination) => AsSpan().CopyTo(destination);
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Count) throw new ArgumentException($"expected {Count} parameters, got {source.Length}");
        source.CopyTo(AsSpan());
    }

    public void ZeroGrad() => GradSpan().Clear();

    public void Dispose()
    {
        foreach (var v in _views) v.Dispose();
        Flat.Dispose();
        FlatGrad.Dispose();
    }
}
