using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// A classifier split into a feature extractor (penultimate layer) and a head, so that distillation methods can
/// exchange features (CCL) or logits (MHD) as well as parameters. <c>forward</c> returns the logits.
/// </summary>
public abstract class ClassifierModel : nn.Module<Tensor, Tensor>
{
    protected ClassifierModel(string name, int featureDim, int numClasses) : base(name)
    {
        FeatureDim = featureDim;
        NumClasses = numClasses;
    }

    public int FeatureDim { get; }
    public int NumClasses { get; }

    /// <summary>Penultimate-layer features f(x; θ), shape [B, FeatureDim].</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>Logits from features, shape [B, NumClasses].</summary>
    public abstract Tensor Classify(Tensor features);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Classify(Features(x)).MoveToOuterDisposeScope();
    }

    public (Tensor Features, Tensor Logits) ForwardWithFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = Features(x);
        var logits = Classify(f);
        return (f.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>Set while a <see cref="FlatParameters"/> view aliases this model's parameters (and gradients).</summary>
    internal FlatParameters? FlatView { get; set; }

    /// <summary>Where this model computes: its flat view's device, the CPU while unbound.</summary>
    public ComputeDevice Device => FlatView?.Device ?? ComputeDevice.Cpu;

    /// <summary>
    /// For a pass without gradients (evaluation, scoring, teacher logits): brings the device copy of the parameters up
    /// to date with the flat CPU buffer (see <see cref="FlatParameters.ToDevice"/>).
    /// </summary>
    public void ParametersToDevice() => FlatView?.ToDevice();

    /// <summary>
    /// TorchSharp's default (<paramref name="set_to_none"/> = true) drops the gradient tensors; on a model bound to a
    /// <see cref="FlatParameters"/> view that would detach the gradients from <see cref="FlatParameters.FlatGrad"/>,
    /// so there the gradients are zeroed in place instead.
    /// </summary>
    public override void zero_grad(bool set_to_none = true) => base.zero_grad(set_to_none && FlatView is null);
}
