using System.Diagnostics;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

public sealed class ModelTests(ITestOutputHelper output)
{
    private static readonly ModelSpec LeNet = new("lenet5", [1, 28, 28], 10);

    [Theory]
    [InlineData("lenet5", 1, 28, 10, 61_706)]
    [InlineData("resnet20", 3, 32, 10, 272_474)]
    [InlineData("mlp", 1, 28, 10, 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10)]
    public void Parameter_counts_match_the_reference_architectures(string name, int channels, int side, int classes, int expected)
    {
        using var model = ModelFactory.Create(new ModelSpec(name, [channels, side, side], classes), 0);
        Assert.Equal(expected, FlatParameters.CountOf(model));
    }

    [Fact]
    public void Features_and_logits_have_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        foreach (var (spec, dim) in new[] { (LeNet, 84), (new ModelSpec("resnet20", [3, 32, 32], 100), 64), (new ModelSpec("mlp", [1, 28, 28], 10, Hidden: [50]), 50) })
        {
            using var model = ModelFactory.Create(spec, 1);
            var (f, logits) = model.ForwardWithFeatures(randn([4, .. spec.InputShape.Select(v => (long)v)]));
            Assert.Equal(new long[] { 4, dim }, f.shape);
            Assert.Equal(new long[] { 4, spec.NumClasses }, logits.shape);
            Assert.Equal(dim, model.FeatureDim);
        }
    }

    [Fact]
    public void Multi_head_model_adds_k_heads_of_d_times_c()
    {
        using var single = ModelFactory.Create(LeNet, 0);
        using var multi = (MultiHeadModel)ModelFactory.Create(LeNet with { Heads = 4 }, 0);
        Assert.Equal(FlatParameters.CountOf(single) + 3 * (84 * 10 + 10), FlatParameters.CountOf(multi));
        using var scope = NewDisposeScope();
        var heads = multi.ForwardHeads(randn(2, 1, 28, 28));
        Assert.Equal(4, heads.Length);
        Assert.All(heads, h => Assert.Equal(new long[] { 2, 10 }, h.shape));
    }

    [Fact]
    public void Same_seed_gives_bitwise_identical_weights()
    {
        using var a = ModelFactory.Create(LeNet, 42);
        using var b = ModelFactory.Create(LeNet, 42);
        using var c = ModelFactory.Create(LeNet, 43);
        using var fa = new FlatParameters(a);
        using var fb = new FlatParameters(b);
        using var fc = new FlatParameters(c);
        Assert.True(fa.AsSpan().SequenceEqual(fb.AsSpan()));
        Assert.False(fa.AsSpan().SequenceEqual(fc.AsSpan()));
    }

    [Fact]
    public void Flat_view_aliases_the_model_parameters_and_gradients()
    {
        using var model = ModelFactory.Create(LeNet, 3);
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        var before = model.forward(x).clone();
        using var flat = new FlatParameters(model);
        Assert.True(before.allclose(model.forward(x)));          // rebinding kept the values

        var saved = flat.AsSpan().ToArray();
        var other = saved.Select((v, i) => v + 0.01f * (i % 7 - 3)).ToArray();
        flat.CopyFrom(other);
        var read = new float[flat.Count];
        flat.CopyTo(read);
        Assert.Equal(other, read);                               // write then read is identity
        Assert.False(before.allclose(model.forward(x), 1e-3, 1e-3)); // and the model really changed

        flat.CopyFrom(saved);
        flat.ZeroGrad();
        var loss = Losses.CrossEntropy(model.forward(x), zeros(8, ScalarType.Int64));
        loss.backward();
        var firstGrad = model.parameters().First().grad!;
        Assert.Equal(firstGrad.flatten().data<float>().ToArray(), flat.GradSpan()[..(int)firstGrad.numel()].ToArray());
        Assert.Contains(flat.GradSpan().ToArray(), g => g != 0);

        var opt = optim.SGD(model.parameters(), 0.1);
        opt.step();                                               // the optimizer's in-place update is visible in the span
        Assert.NotEqual(saved[0], flat.AsSpan()[0]);
        Assert.Equal(saved[0] - 0.1f * flat.GradSpan()[0], flat.AsSpan()[0], 6);
    }

    [Fact]
    public void Losses_match_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        // KL(softmax(t/T) || softmax(s/T))·T² for one sample, T = 2, computed in double below.
        double[] s = [1.0, 0.0, -1.0], t = [0.5, 1.5, 0.0];
        double T = 2;
        double[] Soft(double[] v) { var e = v.Select(x => Math.Exp(x / T)).ToArray(); return e.Select(x => x / e.Sum()).ToArray(); }
        var ps = Soft(s); var pt = Soft(t);
        double kl = Enumerable.Range(0, 3).Sum(i => pt[i] * Math.Log(pt[i] / ps[i])) * T * T;
        var student = tensor(new[] { 1f, 0f, -1f, 1f, 0f, -1f }, [2, 3]);
        var teacher = tensor(new[] { 0.5f, 1.5f, 0f, 0.5f, 1.5f, 0f }, [2, 3]);
        Assert.Equal(kl, Losses.KlDistill(student, teacher, T).item<float>(), 1e-5);  // batch mean of two identical rows

        var a = tensor(new[] { 1f, 2f, 3f, 4f }, [2, 2]);
        var b = tensor(new[] { 1f, 0f, 3f, 0f }, [2, 2]);
        Assert.Equal((4.0 + 16.0) / 4, Losses.FeatureMse(a, b).item<float>(), 1e-5);

        // InfoNCE on 2×2: za = [[1,0],[0,1]], zb = [[1,0],[1,1]]/√2 normalised; τ = 0.5.
        var za = tensor(new[] { 1f, 0f, 0f, 1f }, [2, 2]);
        var zb = tensor(new[] { 1f, 0f, 1f, 1f }, [2, 2]);
        double c = 1 / Math.Sqrt(2);
        double[,] sim = { { 1 / 0.5, c / 0.5 }, { 0, c / 0.5 } };
        double Row(int i) => -(sim[i, i] - Math.Log(Math.Exp(sim[i, 0]) + Math.Exp(sim[i, 1])));
        Assert.Equal((Row(0) + Row(1)) / 2, Losses.InfoNce(za, zb, 0.5).item<float>(), 1e-5);

        var soft = tensor(new[] { 0.2f, 0.8f }, [1, 2]);
        var logits = tensor(new[] { 0f, Math.Log(4.0) is var l ? (float)l : 0f }, [1, 2]);
        Assert.Equal(-(0.2 * Math.Log(0.2) + 0.8 * Math.Log(0.8)), Losses.SoftCrossEntropy(logits, soft).item<float>(), 1e-5);
    }

    [Fact]
    public void LeNet5_learns_synthetic_data_and_memory_stays_flat_over_1000_steps()
    {
        torch.set_num_threads(1);
        var data = SyntheticData.Generate(4000, 1000, 10, [1, 28, 28], 4.0, 5);
        using var model = ModelFactory.Create(LeNet, 0);
        using var flat = new FlatParameters(model);
        var opt = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        var sampler = new BatchSampler(Enumerable.Range(0, data.Train.Count).ToArray(), 32, 1);
        var batch = new int[32];
        long liveBefore = 0;
        var watch = new Stopwatch();
        for (int step = 0; step < 1000; step++)
        {
            if (step == 10) { liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount; watch.Start(); }
            using var scope = NewDisposeScope();
            sampler.Next(batch);
            var (x, y) = data.Train.Batch(batch);
            flat.ZeroGrad();
            Losses.CrossEntropy(model.forward(x), y).backward();
            opt.step();
        }
        watch.Stop();
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(liveBefore, liveAfter);
        output.WriteLine($"LeNet-5 bs-32 train step: {watch.Elapsed.TotalMilliseconds / 990:F2} ms (1 thread)");

        long correct = 0;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (x, y) = data.Test.Slice(0, data.Test.Count);
            correct = model.forward(x).argmax(1).eq(y).sum().item<long>();
        }
        double accuracy = correct / (double)data.Test.Count;
        output.WriteLine($"held-out accuracy after 1000 steps: {accuracy:P1}");
        Assert.True(accuracy > 0.8, $"accuracy {accuracy} (chance 0.1)");
    }
}
