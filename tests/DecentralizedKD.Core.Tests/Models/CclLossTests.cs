using DecentralizedKD.Core.Models;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

/// <summary>CCL's loss on tiny tensors against values computed by hand.</summary>
public sealed class CclLossTests
{
    // CE of logits [1,0] with label 0 (and [0,1] with label 1): log(1 + e^-1).
    private static readonly double Ce = Math.Log(1 + Math.Exp(-1));

    [Fact]
    public void Mse_form_is_ce_plus_weighted_feature_mse_terms()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var labels = tensor(new long[] { 0, 1 });
        var z = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var crossA = tensor(new float[] { 0, 2, 3, 2 }, [2, 2]);   // squared diffs 1,0,0,4 → MSE 1.25
        var crossB = z.clone();                                     // identical → 0
        var means = tensor(new float[] { 1, 1, 2, 2 }, [2, 2]);    // targets rows [1,1],[2,2] → diffs 0,1,1,2 → MSE 1.5
        var present = tensor(new[] { true, true });
        double loss = CclLoss.Compute(logits, z, labels, [crossA, crossB], means, present, 0.1, 0.2, false, 1.0).item<float>();
        Assert.Equal(Ce + 0.1 * 1.25 + 0.2 * 1.5, loss, 5);
        double ceOnly = CclLoss.Compute(logits, z, labels, [crossA], means, present, 0, 0, false, 1.0).item<float>();
        Assert.Equal(Ce, ceOnly, 5);
    }

    [Fact]
    public void InfoNce_form_contrasts_samples_and_classes_and_ignores_absent_classes()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var labels = tensor(new long[] { 0, 1 });
        var z = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var cross = tensor(new float[] { 2, 0, 0, 3 }, [2, 2]);     // same directions: cosine logits [[1,0],[0,1]] → CE = Ce
        // Class 2 is absent: its mean [1,1] would add e^{cos/τ} to every denominator if it were not masked.
        var means = tensor(new float[] { 1, 0, 0, 2, 1, 1 }, [3, 2]);
        var present = tensor(new[] { true, true, false });
        double loss = CclLoss.Compute(logits, z, labels, [cross], means, present, 1.0, 1.0, true, 1.0).item<float>();
        Assert.Equal(3 * Ce, loss, 5);
        // τ = 0.5 doubles the cosine logits: log(1 + e^-2) per contrastive term.
        double sharp = CclLoss.Compute(logits, z, labels, [cross], means, present, 1.0, 1.0, true, 0.5).item<float>();
        Assert.Equal(Ce + 2 * Math.Log(1 + Math.Exp(-2)), sharp, 5);
    }

    [Fact]
    public void Gradients_flow_only_through_the_own_features()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]).requires_grad_(true);
        var cross = tensor(new float[] { 0, 2, 3, 2 }, [2, 2]);
        var logits = ScalarOps.Mul(z, 0);   // keeps CE constant w.r.t. z so only the feature term has a gradient
        var loss = CclLoss.Compute(logits, z, tensor(new long[] { 0, 1 }), [cross], zeros(2, 2), tensor(new[] { true, true }), 1.0, 0, false, 1.0);
        loss.backward();
        // d/dz mean((z − c)²) = 2(z − c)/4
        Assert.Equal(new float[] { 0.5f, 0, 0, 1 }, z.grad!.data<float>().ToArray());
        Assert.False(cross.requires_grad);
    }
}
