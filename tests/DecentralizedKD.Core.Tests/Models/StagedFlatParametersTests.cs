using DecentralizedKD.Core.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

/// <summary>
/// Flat parameters on a staged device (the GPU layout, here on the CPU): the CPU spans are the master copy, the model
/// computes on its own buffers, and only <see cref="FlatParameters.ToDevice"/> / <see cref="FlatParameters.GradientsToHost"/>
/// move values between them.
/// </summary>
public sealed class StagedFlatParametersTests
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);

    private static Tensor Input(int seed)
    {
        var g = new Generator((ulong)seed);
        return randn([4, 1, 28, 28], generator: g);
    }

    private static float[] Logits(ClassifierModel model, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.forward(x).data<float>().ToArray();
    }

    [Fact]
    public void Model_computes_on_its_own_buffers_until_the_parameters_are_copied_over()
    {
        using var model = ModelFactory.Create(LeNet, 3);
        using var flat = new FlatParameters(model, ComputeDevice.StagedCpu);
        using var x = Input(1);
        Assert.Same(ComputeDevice.StagedCpu, model.Device);
        Assert.True(flat.ViewsIntact());
        var before = Logits(model, x);

        var changed = flat.AsSpan().ToArray().Select(v => v * 0.5f).ToArray();
        flat.CopyFrom(changed);
        Assert.Equal(before, Logits(model, x));   // the device copy still holds the old parameters

        flat.ToDevice();
        var after = Logits(model, x);
        Assert.NotEqual(before, after);
        using var reference = ModelFactory.Create(LeNet, 3);
        using var direct = new FlatParameters(reference);
        direct.CopyFrom(changed);
        Assert.Equal(Logits(reference, x), after);
    }

    [Fact]
    public void Gradients_reach_the_span_only_when_copied_back_and_equal_the_direct_ones()
    {
        using var model = ModelFactory.Create(LeNet, 4);
        using var flat = new FlatParameters(model, ComputeDevice.StagedCpu);
        using var reference = ModelFactory.Create(LeNet, 4);
        using var direct = new FlatParameters(reference);
        using var x = Input(2);
        using var y = arange(4, dtype: ScalarType.Int64);

        flat.ZeroGrad();
        flat.ToDevice();
        using (var loss = Losses.CrossEntropy(model.forward(x), y)) loss.backward();
        Assert.All(flat.GradSpan().ToArray(), g => Assert.Equal(0f, g));
        flat.GradientsToHost();

        direct.ZeroGrad();
        using (var loss = Losses.CrossEntropy(reference.forward(x), y)) loss.backward();
        Assert.Contains(direct.GradSpan().ToArray(), g => g != 0);
        Assert.Equal(direct.GradSpan().ToArray(), flat.GradSpan().ToArray());

        // ZeroGrad clears both copies: a second pass accumulates from zero, not onto the first one.
        flat.ZeroGrad();
        using (var loss = Losses.CrossEntropy(model.forward(x), y)) loss.backward();
        flat.GradientsToHost();
        Assert.Equal(direct.GradSpan().ToArray(), flat.GradSpan().ToArray());
    }

    [Fact]
    public void The_cpu_device_aliases_the_spans_without_copies()
    {
        using var model = ModelFactory.Create(LeNet, 5);
        using var flat = new FlatParameters(model, ComputeDevice.Cpu);
        using var x = Input(3);
        var before = Logits(model, x);
        flat.CopyFrom(flat.AsSpan().ToArray().Select(v => v * 0.5f).ToArray());
        Assert.NotEqual(before, Logits(model, x));   // no ToDevice needed: the model reads the span itself
        Assert.Same(ComputeDevice.Cpu, model.Device);
    }
}
