using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// CCL's per-batch loss. Anchor: the own features z (with gradients). Targets (detached):
/// z_{j→i}, the same samples' features under each neighbour's parameters, and z̄_{y}, the neighbourhood mean feature
/// of each sample's class.
/// <list type="bullet">
/// <item><c>mse</c> (the reference code): CE + λ_m Σ_j MSE(z, z_{j→i}) + λ_d MSE(z, z̄_y), MSE averaged over batch and
/// feature dimensions;</item>
/// <item><c>infonce</c> (the paper's "contrastive" reading, an option): the model-variant term is InfoNCE between z and
/// z_{j→i} (positive: the same sample, negatives: the rest of the batch; cosine / τ); the data-variant term is the
/// cross-entropy of cos(z, z̄_c)/τ over the classes present in the neighbourhood, with the sample's class as positive.</item>
/// </list>
/// </summary>
public static class CclLoss
{
    public static Tensor Compute(Tensor logits, Tensor features, Tensor labels, IReadOnlyList<Tensor> crossFeatures,
        Tensor classMeans, Tensor classPresent, double lambdaModel, double lambdaData, bool infoNce, double temperature)
    {
        using var scope = NewDisposeScope();
        var loss = Losses.CrossEntropy(logits, labels);
        if (lambdaModel != 0)
            foreach (var cross in crossFeatures)
                loss = ScalarOps.Add(loss, infoNce ? Losses.InfoNce(features, cross, temperature) : Losses.FeatureMse(features, cross), lambdaModel);
        if (lambdaData != 0)
        {
            Tensor data;
            if (infoNce)
            {
                var sim = ScalarOps.Div(ScalarOps.NormalizeRows(features).matmul(ScalarOps.NormalizeRows(classMeans).t()), temperature);
                data = nn.functional.cross_entropy(MaskAbsent(sim, classPresent), labels);
            }
            else data = Losses.FeatureMse(features, classMeans.index_select(0, labels));
            loss = ScalarOps.Add(loss, data, lambdaData);
        }
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor MaskAbsent(Tensor sim, Tensor classPresent)
    {
        using var minusInf = double.NegativeInfinity.ToScalar();
        return sim.masked_fill(classPresent.logical_not().unsqueeze(0), minusInf);
    }
}
