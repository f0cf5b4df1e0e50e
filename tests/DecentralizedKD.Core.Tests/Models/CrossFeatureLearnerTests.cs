using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

/// <summary>The torch side of CCL on a tiny MLP: features under foreign parameters, class sums, no leaked tensors.</summary>
public sealed class CrossFeatureLearnerTests
{
    private static readonly ModelSpec Spec = new("mlp", [4], 3, 1, [5]);
    private static readonly CclConfig Settings = new(0.1, 0.1, CclLossForm.Mse, 0.1, true);

    private static (CrossFeatureLearner Learner, ClassifierModel Model, TrainTestSets Data) Create()
    {
        var data = SyntheticData.Generate(60, 10, 3, [4], 2.0, 7);
        var model = ModelFactory.Create(Spec, 1);
        var scratch = ModelFactory.Create(Spec, 99);   // different init: must be overwritten by the loaded parameters
        var sampler = new BatchSampler(Enumerable.Range(0, 60).ToArray(), 8, 3);
        return (new CrossFeatureLearner(model, scratch, data.Train, sampler, 8, Settings), model, data);
    }

    [Fact]
    public void Features_under_given_parameters_equal_a_model_holding_them_and_class_sums_add_up()
    {
        var (learner, model, _) = Create();
        using var _m = model;
        using var _l = learner;
        learner.NextBatch();
        var own = learner.Parameters.ToArray();
        var foreign = own.Select((v, k) => v + 0.01f * (k % 7)).ToArray();
        var underOwn = learner.FeaturesUnder(own);
        var underForeign = learner.FeaturesUnder(foreign);
        Assert.Equal(8 * 5, underOwn.Features.Length);
        Assert.NotEqual(underOwn.Features, underForeign.Features);
        Assert.Equal(8f, underOwn.ClassCounts.Sum());
        // Sum over classes of the class sums = sum over the batch of the features, per feature dimension.
        for (int e = 0; e < 5; e++)
        {
            float bySamples = Enumerable.Range(0, 8).Sum(n => underForeign.Features[n * 5 + e]);
            float byClasses = Enumerable.Range(0, 3).Sum(c => underForeign.ClassSums[c * 5 + e]);
            Assert.Equal(bySamples, byClasses, 4);
        }
        // The agent's own parameters are untouched by loading foreign ones into the scratch model.
        Assert.Equal(own, learner.Parameters.ToArray());
    }

    [Fact]
    public void Repeated_iterations_leave_no_live_tensors_behind()
    {
        torch.set_num_threads(1);
        var (learner, model, _) = Create();
        using var _m = model;
        using var _l = learner;
        void Iteration()
        {
            learner.NextBatch();
            var cross = learner.FeaturesUnder(learner.Parameters.ToArray());
            learner.SetTargets([cross.Features], cross.ClassSums, cross.ClassCounts);
            learner.ComputeGradient();
        }
        Iteration();
        var stats = DisposeScopeManager.Statistics;
        long before = stats.ThreadTotalLiveCount;
        for (int k = 0; k < 50; k++) Iteration();
        Assert.Equal(before, stats.ThreadTotalLiveCount);
        Assert.Contains(learner.Gradients.ToArray(), g => g != 0);
    }
}
