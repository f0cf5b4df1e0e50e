using TorchSharp;

namespace DecentralizedKD.Core.Tests.Topology;

/// <summary>LAPACK via TorchSharp, as an independent oracle for the spectra computed with MathNet.Numerics.</summary>
internal static class TorchReference
{
    /// <summary>Eigenvalue moduli of a general matrix, largest first.</summary>
    public static double[] Moduli(double[] rowMajor, int n)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(rowMajor, [n, n], torch.ScalarType.Float64);
        return torch.linalg.eigvals(t).abs().sort(descending: true).Values.data<double>().ToArray();
    }

    /// <summary>Eigenvalues of a symmetric matrix, ascending.</summary>
    public static double[] Symmetric(double[] rowMajor, int n)
    {
        using var scope = torch.NewDisposeScope();
        return torch.linalg.eigvalsh(torch.tensor(rowMajor, [n, n], torch.ScalarType.Float64)).data<double>().ToArray();
    }
}
