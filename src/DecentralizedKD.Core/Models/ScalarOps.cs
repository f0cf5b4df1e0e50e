using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// Tensor arithmetic with numbers that is safe from a TorchSharp 0.107 use-after-free: its operators (<c>t * 0.5</c>,
/// <c>a + b</c>, which passes alpha = 1) convert the number to a <see cref="Scalar"/> and hand only its raw handle to
/// native code, so nothing keeps the Scalar alive during the call and the GC finalizer thread can free it mid-call.
/// It shows up rarely, under allocation pressure, as libtorch errors like "toFloat … Expected false to be true".
/// These helpers hold an explicit Scalar until the call has returned and dispose it deterministically; code that runs
/// every step uses them instead of the operators.
/// </summary>
public static class ScalarOps
{
    public static Tensor Mul(Tensor t, double a)
    {
        using var s = a.ToScalar();
        return t.mul(s);
    }

    public static Tensor Div(Tensor t, double a)
    {
        using var s = a.ToScalar();
        return t.div(s);
    }

    /// <summary>a + alpha·b.</summary>
    public static Tensor Add(Tensor a, Tensor b, double alpha = 1)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary>Rows scaled to unit L2 norm (like F.normalize(dim = 1), eps 1e-12) without TorchSharp's implicit clamp scalar.</summary>
    public static Tensor NormalizeRows(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var eps = 1e-12.ToScalar();
        var norm = x.norm(1, true).clamp_min(eps);
        return x.div(norm).MoveToOuterDisposeScope();
    }
}
