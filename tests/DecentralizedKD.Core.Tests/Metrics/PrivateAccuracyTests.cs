using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Training;
using Xunit;

namespace DecentralizedKD.Core.Tests.Metrics;

public sealed class PrivateAccuracyTests
{
    [Fact]
    public void Reweights_class_accuracies_by_the_agents_own_label_histogram()
    {
        // 3 samples of class 0 (acc 1), 1 of class 1 (acc .5), none of class 2: (3·1 + 1·.5)/4.
        Assert.Equal(0.875, PrivateAccuracy.Compute([3, 1, 0], [1.0, 0.5, 0.2]), 12);
        // A class missing from the test set (NaN) is left out and the rest renormalised: (1·.5)/1.
        Assert.Equal(0.5, PrivateAccuracy.Compute([3, 1, 0], [double.NaN, 0.5, 0.2]), 12);
        Assert.True(double.IsNaN(PrivateAccuracy.Compute([0, 0], [1.0, 1.0])));
    }

    [Fact]
    public void Class_accuracies_weighted_by_the_test_label_counts_give_the_overall_accuracy()
    {
        var data = SyntheticData.Generate(10, 300, 4, [6], 1.0, 5);
        using var model = ModelFactory.Create(new ModelSpec("mlp", [6], 4, 1, [8]), 3);
        var perClass = ModelEvaluator.ClassAccuracies(model, data.Test, 0);
        var counts = data.Test.LabelHistogram(Enumerable.Range(0, data.Test.Count));
        double overall = ModelEvaluator.Accuracy(model, data.Test, 0);
        Assert.Equal(overall, PrivateAccuracy.Compute(counts, perClass), 12);
        Assert.Contains(perClass, a => a > 0 && a < 1);   // not a degenerate all-or-nothing model
    }

    [Fact]
    public void Every_head_of_a_multi_head_model_is_scored_on_its_own_predictions()
    {
        var data = SyntheticData.Generate(10, 700, 3, [5], 1.0, 9);   // > one 500-sample chunk
        using var model = (MultiHeadModel)ModelFactory.Create(new ModelSpec("mlp", [5], 3, 3, [6]), 4);
        var heads = ModelEvaluator.HeadClassAccuracies(model, data.Test, 0);
        Assert.Equal(3, heads.Length);
        Assert.Equal(ModelEvaluator.ClassAccuracies(model, data.Test, 0), heads[0]);
        var counts = data.Test.LabelHistogram(Enumerable.Range(0, data.Test.Count));
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var (x, y) = data.Test.Slice(0, data.Test.Count);
        var logits = model.ForwardHeads(x);
        for (int h = 0; h < 3; h++)
        {
            double direct = logits[h].argmax(1).eq(y).sum().item<long>() / (double)data.Test.Count;
            Assert.Equal(direct, PrivateAccuracy.Compute(counts, heads[h]), 12);
        }
    }
}
