using System.Runtime.InteropServices;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

public sealed class FlatParametersTests
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>Every parameter (and gradient) occupies exactly its own slice of the flat buffer, in parameters() order.</summary>
    private static void AssertAliased(nn.Module model, FlatParameters flat)
    {
        int offset = 0;
        foreach (var p in model.parameters())
        {
            Assert.True(flat.AsSpan().Overlaps(Floats(p), out int at));
            Assert.Equal(offset, at);
            using var g = p.grad;
            Assert.NotNull(g);
            Assert.True(flat.GradSpan().Overlaps(Floats(g), out int gradAt));
            Assert.Equal(offset, gradAt);
            offset += (int)p.numel();
        }
        Assert.Equal(flat.Count, offset);
        Assert.True(flat.ViewsIntact());
    }

    private static Tensor Loss(ClassifierModel model, Tensor x) =>
        Losses.CrossEntropy(model.forward(x), tensor(Enumerable.Range(0, (int)x.shape[0]).Select(i => (long)(i % model.NumClasses)).ToArray()));

    [Theory]
    [InlineData("lenet5", 1, 28)]
    [InlineData("resnet20", 3, 32)]
    [InlineData("mlp", 1, 28)]
    public void Parameters_and_gradients_are_views_into_one_flat_buffer(string name, int channels, int side)
    {
        using var model = ModelFactory.Create(new ModelSpec(name, [channels, side, side], 10), 5);
        using var scope = NewDisposeScope();
        var x = randn(4, channels, side, side);
        var before = model.forward(x);
        var values = model.parameters().Select(p => p.detach().clone().flatten()).ToArray();

        using var flat = new FlatParameters(model);
        Assert.Equal(FlatParameters.CountOf(model), flat.Count);
        Assert.Equal([(long)flat.Count], flat.Flat.shape);
        Assert.True(flat.Flat.is_contiguous());
        AssertAliased(model, flat);
        Assert.True(cat(values).allclose(flat.Flat, 0, 0));                 // rebinding kept the initial values, in order
        Assert.True(before.allclose(model.forward(x), 0, 0));
        Assert.All(flat.GradSpan().ToArray(), g => Assert.Equal(0f, g));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
    }

    [Fact]
    public void Writing_the_span_is_read_back_exactly_and_changes_the_model()
    {
        using var model = ModelFactory.Create(LeNet, 3);
        using var flat = new FlatParameters(model);
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        var before = model.forward(x);

        var other = new float[flat.Count];
        for (int i = 0; i < other.Length; i++) other[i] = 0.001f * (i % 97) - 0.05f;
        flat.CopyFrom(other);
        var read = new float[flat.Count];
        flat.CopyTo(read);
        Assert.Equal(other, read);
        Assert.Equal(other, flat.AsSpan().ToArray());
        Assert.Equal(other[^1], model.parameters().Last().data<float>()[9]);   // fc3.bias[9] is the last element
        Assert.False(before.allclose(model.forward(x), 1e-3, 1e-3));

        // the tensor view sees the same memory: an in-place tensor op shows in the span, and vice versa
        using (var two = 2.ToScalar()) flat.Flat.mul_(two);
        Assert.Equal(2 * other[123], flat.AsSpan()[123]);
        flat.AsSpan()[7] = 42f;
        Assert.Equal(42f, flat.Flat[7].item<float>());

        Assert.Throws<ArgumentException>(() => flat.CopyFrom(new float[flat.Count - 1]));
        Assert.Throws<ArgumentException>(() => flat.CopyTo(new float[flat.Count + 1]));
    }

    [Fact]
    public void Gradient_span_equals_the_per_parameter_gradients_after_backward()
    {
        using var model = ModelFactory.Create(LeNet, 4);
        using var flat = new FlatParameters(model);
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        Loss(model, x).backward();
        var perParameter = cat(model.parameters().Select(p => p.grad!.flatten()).ToArray());
        Assert.Equal(perParameter.data<float>().ToArray(), flat.GradSpan().ToArray());
        Assert.True(perParameter.abs().sum().item<float>() > 0);
        var firstPass = flat.GradSpan().ToArray();

        Loss(model, x).backward();                                  // backward accumulates in place, into the views
        var twice = flat.GradSpan().ToArray();
        for (int i = 0; i < twice.Length; i++) Assert.Equal(2 * firstPass[i], twice[i], 5e-6f + 1e-5f * Math.Abs(twice[i]));
        AssertAliased(model, flat);

        flat.ZeroGrad();
        Assert.All(model.parameters(), p => Assert.Equal(0f, p.grad!.abs().max().item<float>()));
    }

    [Fact]
    public void Steps_on_the_flat_buffer_move_the_model_parameters()
    {
        // The engine updates parameters through the flat spans (MomentumStep), never through TorchSharp optimizers, whose
        // implicit Scalars the GC finalizer can free mid-call (see ScalarOps); a step on the span must be the model's step.
        using var model = ModelFactory.Create(LeNet, 5);
        using var flat = new FlatParameters(model);
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        var plain = new MomentumStep(flat.Count);
        var before = flat.AsSpan().ToArray();
        Loss(model, x).backward();
        var grad = flat.GradSpan().ToArray();
        plain.Apply(flat.AsSpan(), flat.GradSpan(), 0.1f, 0f, nesterov: false);   // β = 0: plain SGD
        var after = flat.AsSpan().ToArray();
        for (int i = 0; i < after.Length; i++) Assert.Equal(before[i] - 0.1f * grad[i], after[i], 1e-6f);
        Assert.Contains(Enumerable.Range(0, after.Length), i => after[i] != before[i]);
        var firstParameter = model.parameters().First();
        Assert.Equal(after[0], firstParameter.view(-1)[0].item<float>());   // the module sees the update

        // the views survive several momentum steps, each with a fresh backward and an in-place zero_grad
        var momentum = new MomentumStep(flat.Count);
        for (int step = 0; step < 3; step++)
        {
            using var inner = NewDisposeScope();
            flat.ZeroGrad();
            Loss(model, x).backward();
            momentum.Apply(flat.AsSpan(), flat.GradSpan(), 0.05f, 0.9f, nesterov: step % 2 == 0);
            AssertAliased(model, flat);
        }
        Assert.True(flat.Flat.isfinite().all().item<bool>());
    }

    [Fact]
    public void Module_zero_grad_keeps_the_gradient_views()
    {
        // TorchSharp's Module.zero_grad() defaults to set_to_none, which would drop the views; bound models zero in place.
        using var model = Assert.IsType<MultiHeadModel>(ModelFactory.Create(LeNet with { Heads = 2 }, 6));
        using var flat = new FlatParameters(model);
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        Loss(model, x).backward();
        model.zero_grad();
        Assert.All(flat.GradSpan().ToArray(), g => Assert.Equal(0f, g));
        AssertAliased(model, flat);
        Loss(model, x).backward();
        Assert.Contains(flat.GradSpan().ToArray(), g => g != 0);
        AssertAliased(model, flat);

        // the backbone inside the multi-head model is bound as well
        var backbone = model.children().OfType<ClassifierModel>().Single();
        backbone.zero_grad(set_to_none: true);
        AssertAliased(model, flat);
    }

    [Fact]
    public void A_model_cannot_be_bound_twice_but_can_be_rebound_after_dispose()
    {
        using var model = ModelFactory.Create(LeNet, 7);
        var first = new FlatParameters(model);
        var values = first.AsSpan().ToArray();
        Assert.Throws<InvalidOperationException>(() => new FlatParameters(model));
        first.Dispose();
        using var second = new FlatParameters(model);
        Assert.Equal(values, second.AsSpan().ToArray());
        AssertAliased(model, second);
    }

    [Fact]
    public void Views_intact_detects_a_dropped_gradient_view()
    {
        using var model = ModelFactory.Create(LeNet, 8);
        using var flat = new FlatParameters(model);
        Assert.True(flat.ViewsIntact());
        model.parameters().First().grad = null;
        Assert.False(flat.ViewsIntact());
    }
}
