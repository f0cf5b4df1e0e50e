using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>Losses shared by the algorithms, written out explicitly where TorchSharp's defaults differ from PyTorch's.</summary>
public static class Losses
{
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    /// <summary>−Σ_c t_c log softmax(h)_c, averaged over the batch (soft / one-hot targets).</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targetProbs)
    {
        using var scope = NewDisposeScope();
        var loss = -(targetProbs * nn.functional.log_softmax(logits, 1)).sum(1).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL(softmax(t/T) ‖ softmax(s/T))·T², batch mean. TorchSharp's kl_div defaults to log_target = true (PyTorch:
    /// false) and has no batchmean, so both are spelled out here.
    /// </summary>
    public static Tensor KlDistill(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        using var scope = NewDisposeScope();
        long batch = studentLogits.shape[0];
        var s = nn.functional.log_softmax(ScalarOps.Div(studentLogits, temperature), 1);
        var t = nn.functional.log_softmax(ScalarOps.Div(teacherLogits, temperature), 1);
        var kl = ScalarOps.Mul(nn.functional.kl_div(s, t, reduction: nn.Reduction.Sum, log_target: true), temperature * temperature / batch);
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL(t ‖ softmax(s/T))·T², batch mean, for target probabilities t given directly (MHD's per-sample most-confident
    /// or mean targets). Equals <see cref="KlDistill"/> when t = softmax(teacher/T); zero entries of t contribute 0.
    /// </summary>
    public static Tensor KlToTarget(Tensor studentLogits, Tensor targetProbs, double temperature)
    {
        using var scope = NewDisposeScope();
        var s = nn.functional.log_softmax(ScalarOps.Div(studentLogits, temperature), 1);
        var kl = ScalarOps.Mul(nn.functional.kl_div(s, targetProbs, reduction: nn.Reduction.Sum, log_target: false),
            temperature * temperature / studentLogits.shape[0]);
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error over batch and feature dimensions (CCL's attract-only feature loss).</summary>
    public static Tensor FeatureMse(Tensor a, Tensor b) => nn.functional.mse_loss(a, b);

    /// <summary>InfoNCE: cross-entropy of cosine similarities / τ with the matching row as the positive.</summary>
    public static Tensor InfoNce(Tensor za, Tensor zb, double tau)
    {
        using var scope = NewDisposeScope();
        var a = ScalarOps.NormalizeRows(za);
        var b = ScalarOps.NormalizeRows(zb);
        var logits = ScalarOps.Div(a.matmul(b.t()), tau);
        using var start = 0.ToScalar();                  // explicit Scalars, held for the call (see ScalarOps)
        using var stop = za.shape[0].ToScalar();
        using var step = 1.ToScalar();
        var target = arange(start, stop, step, dtype: ScalarType.Int64, device: za.device);
        return nn.functional.cross_entropy(logits, target).MoveToOuterDisposeScope();
    }
}
