using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// PyTorch's default initialisation, drawn from a caller-owned generator instead of the process-global one:
/// Linear and Conv2d weights and biases ~ U(−1/√fan_in, 1/√fan_in) (what kaiming_uniform(a = √5) amounts to),
/// GroupNorm weight 1 and bias 0. Modules are visited in registration order, weight before bias, so the same seed
/// gives the same weights whatever else uses the global generator meanwhile.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's GroupNorm allocates its affine weight and bias with <c>torch.empty</c> and never initialises
/// them (PyTorch sets 1 and 0): without this pass a GroupNorm network starts from uninitialised memory, NaN included.
/// </remarks>
public static class ParameterInit
{
    public static void Reset(nn.Module model, Generator generator)
    {
        using var noGrad = no_grad();
        long initialised = 0;
        foreach (var module in model.modules().Prepend(model))
        {
            switch (module)
            {
                case Linear linear:
                    initialised += Uniform(linear.weight, linear.bias, linear.weight.shape[1], generator);
                    break;
                case Conv2d conv:
                    initialised += Uniform(conv.weight, conv.bias, conv.weight.shape[1..].Aggregate(1L, (a, b) => a * b), generator);
                    break;
                case GroupNorm norm:
                    nn.init.ones_(norm.weight);
                    if (norm.bias is { } bias) nn.init.zeros_(bias);
                    initialised += norm.weight.numel() + (norm.bias?.numel() ?? 0);
                    break;
            }
        }
        long total = model.parameters().Sum(p => p.numel());
        if (initialised != total)
            throw new InvalidOperationException($"{model.GetName()}: {total - initialised} parameters belong to modules without a defined initialisation");
    }

    private static long Uniform(Tensor weight, Tensor? bias, long fanIn, Generator generator)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        // Tensor.uniform_, not nn.init.uniform_: TorchSharp 0.107's init.uniform_ accepts a generator and ignores it.
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
        return weight.numel() + (bias?.numel() ?? 0);
    }
}
