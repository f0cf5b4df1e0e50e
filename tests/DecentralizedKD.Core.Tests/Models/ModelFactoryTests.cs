using DecentralizedKD.Core.Models;
using Xunit;

namespace DecentralizedKD.Core.Tests.Models;

public sealed class ModelFactoryTests
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);

    private static float[] Weights(ModelSpec spec, long seed)
    {
        using var model = ModelFactory.Create(spec, seed);
        using var flat = new FlatParameters(model);
        return flat.AsSpan().ToArray();
    }

    [Theory]
    [InlineData("lenet5", 1, 28, 1)]
    [InlineData("resnet20", 3, 32, 1)]
    [InlineData("mlp", 1, 28, 1)]
    [InlineData("lenet5", 1, 28, 3)]
    public void Same_seed_gives_bitwise_identical_weights_and_another_seed_different_ones(string name, int channels, int side, int heads)
    {
        var spec = new ModelSpec(name, [channels, side, side], 10, heads);
        var a = Weights(spec, 42);
        var b = Weights(spec, 42);
        var c = Weights(spec, 43);
        Assert.True(a.AsSpan().SequenceEqual(b));                   // float equality is bitwise here (no NaN)
        Assert.False(a.AsSpan().SequenceEqual(c));
        Assert.True(a.Zip(c).Count(p => p.First != p.Second) > a.Length / 2);   // all weight tensors differ, not a few
    }

    [Fact]
    public void Concurrent_construction_is_deterministic()
    {
        // The global generator is process-wide: without the factory lock, interleaved constructions would mix draws.
        var sequential = Enumerable.Range(0, 8).Select(s => Weights(LeNet, s)).ToArray();
        var concurrent = new float[8][];
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var w = Weights(LeNet, i % 8);
            if (i < 8) concurrent[i] = w;
            else Assert.True(w.AsSpan().SequenceEqual(sequential[i % 8]));
        });
        for (int s = 0; s < 8; s++) Assert.True(concurrent[s].AsSpan().SequenceEqual(sequential[s]));
    }

    [Fact]
    public void Unknown_model_names_are_input_errors_listing_the_choices()
    {
        var e = Assert.Throws<InputException>(() => new ModelSpec("vgg11", [1, 28, 28], 10));
        Assert.Equal("experiment.model.name = 'vgg11': expected one of mlp | lenet5 | resnet20", e.Message);
    }

    [Theory]
    [InlineData("lenet5", new[] { 784 }, 10, 1, "C×H×W")]
    [InlineData("resnet20", new[] { 3, 32 }, 10, 1, "C×H×W")]
    [InlineData("lenet5", new[] { 1, 8, 8 }, 10, 1, "side >= 16")]
    [InlineData("lenet5", new[] { 1, 28, 28 }, 10, 0, "heads")]
    [InlineData("mlp", new[] { 1, 0, 28 }, 10, 1, "input shape")]
    [InlineData("mlp", new[] { 784 }, 1, 1, "classes")]
    public void Invalid_specs_are_input_errors(string name, int[] shape, int classes, int heads, string mentions)
    {
        var e = Assert.Throws<InputException>(() => ModelFactory.Create(new ModelSpec(name, shape, classes, heads), 0));
        Assert.Contains(mentions, e.Message);
    }

    [Fact]
    public void Non_positive_hidden_widths_are_input_errors()
    {
        var e = Assert.Throws<InputException>(() => ModelFactory.Create(new ModelSpec("mlp", [784], 10, Hidden: [200, 0]), 0));
        Assert.Contains("hidden", e.Message);
    }
}
