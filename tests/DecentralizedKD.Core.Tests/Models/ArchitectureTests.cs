using DecentralizedKD.Core.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

public sealed class ArchitectureTests
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);

    // ResNet-20-GN, summed by hand: stem 3·16·9 + GN 32; stage 1: 3 × (2·16·16·9 + 2·32);
    // stage 2: (16·32·9 + 32·32·9 + 2·64 + shortcut 16·32 + 64) + 2 × (2·32·32·9 + 2·64);
    // stage 3: (32·64·9 + 64·64·9 + 2·128 + shortcut 32·64 + 128) + 2 × (2·64·64·9 + 2·128); fc 64·10 + 10.
    private const int ResNet20Cifar = 272_474;

    [Theory]
    [InlineData("lenet5", 1, 28, 10, 61_706)]
    [InlineData("lenet5", 3, 32, 10, (3 * 6 * 25 + 6) + (6 * 16 * 25 + 16) + (16 * 6 * 6 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10))]
    [InlineData("resnet20", 3, 32, 10, ResNet20Cifar)]
    [InlineData("resnet20", 1, 28, 10, ResNet20Cifar - 2 * 16 * 9)] // only the stem sees the input channels
    [InlineData("resnet20", 3, 32, 100, ResNet20Cifar + 90 * 64 + 90)]
    [InlineData("mlp", 1, 28, 10, 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10)]
    public void Parameter_counts_match_the_reference_architectures(string name, int channels, int side, int classes, int expected)
    {
        using var model = ModelFactory.Create(new ModelSpec(name, [channels, side, side], classes), 0);
        Assert.Equal(expected, FlatParameters.CountOf(model));
    }

    [Fact]
    public void Mlp_hidden_layers_are_configurable()
    {
        using var model = ModelFactory.Create(new ModelSpec("mlp", [3, 32, 32], 100, Hidden: [50, 20, 30]), 0);
        Assert.Equal(3072 * 50 + 50 + 50 * 20 + 20 + 20 * 30 + 30 + 30 * 100 + 100, FlatParameters.CountOf(model));
        Assert.Equal(30, model.FeatureDim);
        using var linear = ModelFactory.Create(new ModelSpec("mlp", [8], 3, Hidden: []), 0);
        Assert.Equal(8 * 3 + 3, FlatParameters.CountOf(linear));   // no hidden layer: features = the flattened input
        Assert.Equal(8, linear.FeatureDim);
    }

    public static TheoryData<ModelSpec, int> Shapes => new()
    {
        { LeNet, 84 },
        { new ModelSpec("lenet5", [3, 32, 32], 10), 84 },
        { new ModelSpec("resnet20", [3, 32, 32], 100), 64 },
        { new ModelSpec("resnet20", [1, 28, 28], 10), 64 },
        { new ModelSpec("mlp", [1, 28, 28], 10), 200 },
        { new ModelSpec("mlp", [1, 28, 28], 10, Hidden: [50]), 50 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Features_and_logits_have_the_documented_shapes(ModelSpec spec, int featureDim)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(spec, 1);
        var x = randn([4, .. spec.InputShape.Select(v => (long)v)]);
        var (f, logits) = model.ForwardWithFeatures(x);
        Assert.Equal([4, featureDim], f.shape);
        Assert.Equal([4, spec.NumClasses], logits.shape);
        Assert.Equal(featureDim, model.FeatureDim);
        Assert.Equal(spec.NumClasses, model.NumClasses);
        Assert.True(logits.allclose(model.forward(x), 0, 0));                 // forward = head(features)
        Assert.True(logits.allclose(model.Classify(model.Features(x)), 0, 0));
    }

    [Fact]
    public void Multi_head_model_adds_k_heads_of_d_times_c_and_forward_is_the_main_head()
    {
        using var single = ModelFactory.Create(LeNet, 0);
        using var multi = Assert.IsType<MultiHeadModel>(ModelFactory.Create(LeNet with { Heads = 4 }, 0));
        Assert.Equal(3, multi.AuxiliaryHeads);
        Assert.Equal(FlatParameters.CountOf(single) + 3 * (84 * 10 + 10), FlatParameters.CountOf(multi));

        using var resnet = Assert.IsType<MultiHeadModel>(ModelFactory.Create(new ModelSpec("resnet20", [3, 32, 32], 100, Heads: 3), 0));
        Assert.Equal(ResNet20Cifar + 90 * 64 + 90 + 2 * (64 * 100 + 100), FlatParameters.CountOf(resnet));

        using var scope = NewDisposeScope();
        var x = randn(2, 1, 28, 28);
        var heads = multi.ForwardHeads(x);
        Assert.Equal(4, heads.Length);
        Assert.All(heads, h => Assert.Equal([2, 10], h.shape));
        Assert.True(heads[0].allclose(multi.forward(x), 0, 0));
        Assert.True(heads[0].allclose(single.forward(x), 0, 0));               // same seed: the backbone is built first, identically
        for (int k = 1; k < heads.Length; k++) Assert.False(heads[k].allclose(heads[0]));
        Assert.Equal([2, 84], multi.Features(x).shape);
    }

    [Fact]
    public void Multi_head_gradients_reach_every_head()
    {
        using var multi = Assert.IsType<MultiHeadModel>(ModelFactory.Create(new ModelSpec("mlp", [6], 3, Heads: 3, Hidden: [5]), 0));
        using var flat = new FlatParameters(multi);
        using var scope = NewDisposeScope();
        var heads = multi.ForwardHeads(randn(4, 6));
        heads.Aggregate((a, b) => ScalarOps.Add(a, b)).sum().backward();
        // layout: backbone (6·5+5, 5·3+3), then aux heads (5·3+3 each)
        var grad = flat.GradSpan();
        int backbone = 6 * 5 + 5 + 5 * 3 + 3;
        Assert.Equal(backbone + 2 * (5 * 3 + 3), flat.Count);
        Assert.Contains(grad[..backbone].ToArray(), g => g != 0);
        Assert.Contains(grad[backbone..(backbone + 18)].ToArray(), g => g != 0);
        Assert.Contains(grad[(backbone + 18)..].ToArray(), g => g != 0);
    }
}
