using System.Numerics;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

/// <summary>
/// <see cref="TopologyChecks.EigenvalueModuli"/> on the path that real topologies never take: a W that is neither
/// symmetric nor reversible goes to the general (complex-spectrum) solver. Symmetric and reversible W are covered by
/// the spectral-gap tests.
/// </summary>
public sealed class EigenvalueModuliTests
{
    [Theory]
    [InlineData(3, 0.5)]
    [InlineData(6, 1.0)]
    [InlineData(12, 0.3)]
    public void Directed_cycle_with_self_weight_has_the_closed_form_moduli(int n, double step)
    {
        // W = (1 − a)I + aP with P the cyclic shift: eigenvalues 1 − a + a·e^{2πik/n}, complex for most k.
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            matrix[i, i] += 1 - step;
            matrix[i, (i + 1) % n] += step;
        }
        var w = MixingMatrix.FromDense(matrix);
        Assert.False(TopologyChecks.IsSymmetric(w));
        Assert.Null(ReversibleSymmetrization.TrySymmetrize(w));   // one-way edges: the general solver runs
        var expected = Enumerable.Range(0, n)
            .Select(k => (1 - step + step * Complex.FromPolarCoordinates(1, 2 * Math.PI * k / n)).Magnitude)
            .OrderDescending().ToArray();
        var moduli = TopologyChecks.EigenvalueModuli(w);
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], moduli[i], 12);
        Assert.Equal(1 - expected[1], TopologyChecks.SpectralGap(w), 12);
    }

    [Fact]
    public void Random_non_reversible_stochastic_matrix_agrees_with_torch()
    {
        const int n = 30;
        var rng = new Rng(5);
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            double sum = row.Sum();
            for (int j = 0; j < n; j++) matrix[i, j] = row[j] / sum;
        }
        var w = MixingMatrix.FromDense(matrix);
        Assert.Null(ReversibleSymmetrization.TrySymmetrize(w));
        var reference = TorchReference.Moduli(w.ToArray(), n);
        var moduli = TopologyChecks.EigenvalueModuli(w);
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], moduli[i], 12);
        Assert.Equal(1.0, moduli[0], 12);   // row-stochastic: the all-ones vector
    }

    [Fact]
    public void Ring_of_400_still_matches_the_closed_form_gap()
    {
        // The gap shrinks like 1/n², so at n = 400 (≈ 8e-5) an absolute 1e-12 is a relative 1e-8.
        const int n = 400;
        var w = MixingMatrix.Build(TopologyFactory.Create("ring", n), MixingKind.Uniform);
        Assert.Equal(1 - (1.0 / 3 + 2.0 / 3 * Math.Cos(2 * Math.PI / n)), TopologyChecks.SpectralGap(w), 12);
    }
}
