using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class LeNet5TrainingTests(ITestOutputHelper output)
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);
    private const int Batch = 32;

    // Arithmetic with numbers goes through ScalarOps and the update through the engine's own MomentumStep: TorchSharp's
    // operators and optimizers pass implicit Scalars that the GC finalizer can free mid-call (see ScalarOps), which made
    // this 1000-step test fail now and then with a libtorch "toFloat" error.

    /// <summary>
    /// Ten class means: smooth 1×28×28 images (a random 7×7 pattern upsampled bilinearly) scaled by <paramref name="scale"/>.
    /// </summary>
    private static Tensor Means(double scale, Generator g) =>
        ScalarOps.Mul(nn.functional.interpolate(randn([10, 1, 7, 7], generator: g), [28, 28], mode: InterpolationMode.Bilinear, align_corners: false), scale);

    /// <summary>Gaussian blobs x = μ_y + ε, ε ~ N(0, I) per pixel, y uniform over the 10 classes.</summary>
    private static (Tensor X, Tensor Y) Blobs(int n, Tensor means, Generator g)
    {
        var y = randint(0, 10, [n], dtype: ScalarType.Int64, generator: g);
        var x = ScalarOps.Add(means.index_select(0, y), randn([n, 1, 28, 28], generator: g));
        return (x, y);
    }

    /// <summary>One momentum-SGD step (η = 0.01, β = 0.9, heavy ball) on a random batch, as an agent takes it.</summary>
    private static void Step(ClassifierModel model, FlatParameters flat, MomentumStep momentum, Tensor x, Tensor y, Generator g)
    {
        using var scope = NewDisposeScope();
        var idx = randint(0, x.shape[0], [Batch], dtype: ScalarType.Int64, generator: g);
        flat.ZeroGrad();
        Losses.CrossEntropy(model.forward(x.index_select(0, idx)), y.index_select(0, idx)).backward();
        momentum.Apply(flat.AsSpan(), flat.GradSpan(), 0.01f, 0.9f, nesterov: false);
    }

    private static double Accuracy(ClassifierModel model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.forward(x).argmax(1).eq(y).to_type(ScalarType.Float64).mean().item<double>();
    }

    [Fact]
    public void LeNet5_learns_separable_synthetic_data_well_above_chance_in_300_steps()
    {
        torch.set_num_threads(1);
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var means = Means(0.3, g);
        var (xTrain, yTrain) = Blobs(3000, means, g);
        var (xTest, yTest) = Blobs(1000, means, g);
        using var model = ModelFactory.Create(LeNet, 0);
        using var flat = new FlatParameters(model);
        var momentum = new MomentumStep(flat.Count);

        double initial = Accuracy(model, xTest, yTest);
        for (int step = 0; step < 300; step++) Step(model, flat, momentum, xTrain, yTrain, g);
        double trained = Accuracy(model, xTest, yTest);
        output.WriteLine($"held-out accuracy: {initial:P1} at init, {trained:P1} after 300 SGD steps of batch 32 (chance 10%)");
        Assert.True(trained > 0.8, $"held-out accuracy {trained:P1} after 300 steps");
    }

    [Fact]
    public void Thousand_scoped_training_steps_leave_no_live_tensors_behind()
    {
        torch.set_num_threads(1);
        using var data = NewDisposeScope();
        using var g = new Generator(12);
        var (x, y) = Blobs(512, Means(0.3, g), g);
        using var model = ModelFactory.Create(LeNet, 1);
        using var flat = new FlatParameters(model);
        var momentum = new MomentumStep(flat.Count);
        Step(model, flat, momentum, x, y, g);                       // first backward creates the gradient views' state

        var stats = DisposeScopeManager.Statistics;
        long liveBefore = stats.ThreadTotalLiveCount;
        long createdBefore = stats.CreatedInScopeCount;
        for (int step = 0; step < 1000; step++) Step(model, flat, momentum, x, y, g);
        long liveAfter = stats.ThreadTotalLiveCount;
        long created = stats.CreatedInScopeCount - createdBefore;
        output.WriteLine($"live tensors on this thread: {liveBefore} before, {liveAfter} after 1000 steps ({created} created in scopes meanwhile)");
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(created >= 1000 * 5, "the statistics did count the per-step tensors");
        Assert.True(flat.ViewsIntact());
    }
}
