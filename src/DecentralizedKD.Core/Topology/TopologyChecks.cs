using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Topology;

/// <summary>What <c>dkd topology</c> reports (JSON keys are these names in camelCase).</summary>
public sealed record TopologySummary(int Agents, int Edges, int MinDegree, int MaxDegree, bool Connected, bool Symmetric, bool DoublyStochastic, double SpectralGap);

/// <summary>Properties of a graph and its mixing matrix that decide how fast gossip mixes.</summary>
public static class TopologyChecks
{
    public static bool IsSymmetric(MixingMatrix w, double tolerance = 1e-12)
    {
        for (int i = 0; i < w.Size; i++)
            for (int j = i + 1; j < w.Size; j++)
                if (Math.Abs(w.Weight(i, j) - w.Weight(j, i)) > tolerance) return false;
        return true;
    }

    public static bool IsDoublyStochastic(MixingMatrix w, double tolerance = 1e-9)
    {
        for (int i = 0; i < w.Size; i++)
        {
            double row = 0, col = 0;
            for (int j = 0; j < w.Size; j++)
            {
                if (w.Weight(i, j) < -tolerance) return false;
                row += w.Weight(i, j);
                col += w.Weight(j, i);
            }
            if (Math.Abs(row - 1) > tolerance || Math.Abs(col - 1) > tolerance) return false;
        }
        return true;
    }

    /// <summary>Eigenvalue moduli of W, largest first (symmetric: eigvalsh; otherwise the general solver).</summary>
    public static double[] EigenvalueModuli(MixingMatrix w)
    {
        using var scope = NewDisposeScope();
        var t = tensor(w.ToArray(), [w.Size, w.Size], ScalarType.Float64);
        var moduli = IsSymmetric(w) ? linalg.eigvalsh(t).abs() : linalg.eigvals(t).abs();
        return moduli.sort(descending: true).Values.data<double>().ToArray();
    }

    /// <summary>1 − max(|λ₂|, |λₙ|): 1 for complete mixing in one step, → 0 for slowly mixing graphs.</summary>
    public static double SpectralGap(MixingMatrix w)
    {
        if (w.Size == 1) return 1.0;
        return 1 - EigenvalueModuli(w)[1];
    }

    public static TopologySummary Summarize(Graph g, MixingMatrix w) => new(
        g.Nodes,
        g.EdgeCount,
        Enumerable.Range(0, g.Nodes).Min(g.Degree),
        Enumerable.Range(0, g.Nodes).Max(g.Degree),
        g.IsConnected(),
        IsSymmetric(w),
        IsDoublyStochastic(w),
        SpectralGap(w));
}
