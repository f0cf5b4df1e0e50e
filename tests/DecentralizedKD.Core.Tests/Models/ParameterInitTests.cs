using DecentralizedKD.Core.Models;
using DecentralizedKD.TestSupport;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

public sealed class ParameterInitTests
{
    [Fact]
    public void GroupNorm_starts_at_weight_one_bias_zero_and_resnet20_outputs_are_finite()
    {
        // TorchSharp 0.107 leaves GroupNorm's affine parameters as torch.empty (uninitialised, NaN seen in practice).
        using var model = ModelFactory.Create(new ModelSpec("resnet20", [3, 32, 32], 10), 3);
        var norms = model.modules().OfType<GroupNorm>().ToArray();
        Assert.Equal(1 + 9 * 2 + 2, norms.Length);                  // stem, two per block, two downsampling shortcuts
        using var scope = NewDisposeScope();
        Assert.All(norms, n =>
        {
            Assert.All(n.weight.data<float>().ToArray(), w => Assert.Equal(1f, w));
            Assert.All(n.bias!.data<float>().ToArray(), b => Assert.Equal(0f, b));
        });
        var logits = model.forward(randn(4, 3, 32, 32));
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.True(logits.abs().max().item<float>() < 10);
    }

    [Fact]
    public void Linear_and_conv_parameters_are_uniform_within_one_over_sqrt_fan_in()
    {
        using var model = ModelFactory.Create(new ModelSpec("lenet5", [1, 28, 28], 10), 4);
        using var scope = NewDisposeScope();
        // LeNet-5 parameters in order: conv1 (fan_in 1·25), conv2 (6·25), fc1 (400), fc2 (120), fc3 (84); weight then bias.
        long[] fanIns = [25, 25, 150, 150, 400, 400, 120, 120, 84, 84];
        var parameters = model.parameters().ToArray();
        Assert.Equal(fanIns.Length, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            double bound = 1 / Math.Sqrt(fanIns[i]);
            var p = parameters[i];
            Assert.True(p.abs().max().item<float>() <= bound);
            if (p.numel() >= 400)                                        // large tensors fill the interval, mean ≈ 0
            {
                Assert.True(p.abs().max().item<float>() > 0.95 * bound);
                Assert.True(Math.Abs(p.mean().item<float>()) < 0.1 * bound);
            }
        }
    }

    [Fact]
    public void Weights_do_not_depend_on_other_threads_using_the_global_generator()
    {
        float[] Weights()
        {
            using var model = ModelFactory.Create(new ModelSpec("lenet5", [1, 28, 28], 10, Heads: 2), 9);
            using var flat = new FlatParameters(model);
            return flat.AsSpan().ToArray();
        }

        var quiet = Weights();
        int drawn = 0;
        using var stop = new CancellationTokenSource();
        var noise = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var scope = NewDisposeScope();
                randn(1000).sum();                                   // draws from the process-global generator
                Interlocked.Increment(ref drawn);
            }
        });
        noise.Start();
        try
        {
            // Draws must overlap the creations below: on a loaded machine the thread may take a while to be scheduled.
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref drawn) > 0, TimeSpan.FromSeconds(60)), "the noise thread never drew in 60 s");
            for (int i = 0; i < 20; i++) Assert.True(quiet.AsSpan().SequenceEqual(Weights()));
        }
        finally
        {
            stop.Cancel();
            Bounded.Join(noise, "the noise thread to stop", 60);
        }
        Assert.True(drawn > 0);
    }
}
