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
}
