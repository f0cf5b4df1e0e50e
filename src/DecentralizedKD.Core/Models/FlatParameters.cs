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
/// Keep gradients bound: clear them with <see cref="ZeroGrad"/> (or <c>optimizer.zero_grad()</c>, which zeroes in
/// place). A bound <see cref="ClassifierModel"/> turns <c>zero_grad(set_to_none: true)</c> into zeroing in place;
/// anything else that sets a gradient to null, or <c>Module.to(...)</c>, which replaces parameters, breaks the
/// aliasing, and <see cref="ViewsIntact"/> reports it.
/// </remarks>
public sealed class FlatParameters : IDisposable
{
    private readonly nn.Module _model;
    private readonly ClassifierModel[] _bound;
    private bool _disposed;

    public FlatParameters(nn.Module model)
    {
        _model = model;
        _bound = model.modules().Prepend(model).OfType<ClassifierModel>().ToArray();
        if (_bound.Any(m => m.FlatView is not null))
            throw new InvalidOperationException($"{model.GetName()} is already bound to a flat parameter view");

        var parameters = model.parameters().ToArray();
        long total = parameters.Sum(p => p.numel());
        if (total > Array.MaxLength) throw new InvalidOperationException($"{total} parameters do not fit one span");
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
            // The parameter and its gradient share the slices' storage; the temporary view handles can go at once.
            using (var view = Flat.narrow(0, offset, n).view(p.shape))
            {
                view.copy_(p);
                p.set_(view);
            }
            using (var gradView = FlatGrad.narrow(0, offset, n).view(p.shape)) p.grad = gradView;
            offset += n;
        }
        foreach (var m in _bound) m.FlatView = this;
    }

    /// <summary>Number of parameters P.</summary>
    public int Count { get; }

    /// <summary>The parameters, a contiguous float32 tensor of shape [P] owned by this view.</summary>
    public Tensor Flat { get; }

    /// <summary>The gradients, a contiguous float32 tensor of shape [P] owned by this view.</summary>
    public Tensor FlatGrad { get; }

    public static int CountOf(nn.Module model) => checked((int)model.parameters().Sum(p => p.numel()));

    public Span<float> AsSpan() => MemoryMarshal.Cast<byte, float>(Flat.bytes);
    public Span<float> GradSpan() => MemoryMarshal.Cast<byte, float>(FlatGrad.bytes);

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

    public void ZeroGrad() => GradSpan().Clear();

    /// <summary>
    /// Whether every parameter and every gradient of the model still lies at its own offset in <see cref="Flat"/> and
    /// <see cref="FlatGrad"/> (a few native calls per parameter: for assertions and tests, not per step).
    /// </summary>
    public bool ViewsIntact()
    {
        var flat = AsSpan();
        var flatGrad = GradSpan();
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

    private static bool At(Span<float> buffer, Tensor t, int offset)
    {
        if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous()) return false;
        var span = MemoryMarshal.Cast<byte, float>(t.bytes);
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
    }
}
