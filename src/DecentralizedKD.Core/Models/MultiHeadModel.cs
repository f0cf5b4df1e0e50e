using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// MHD's model: a backbone's features feed the main head (the backbone's own classifier, trained on private labels)
/// and K auxiliary heads, each distilled from neighbours' head k−1. forward = main head logits.
/// </summary>
public sealed class MultiHeadModel : ClassifierModel
{
    private readonly ClassifierModel _backbone;
    private readonly ModuleList<Linear> _auxiliary = new();

    public MultiHeadModel(ClassifierModel backbone, int auxiliaryHeads) : base(nameof(MultiHeadModel), backbone.FeatureDim, backbone.NumClasses)
    {
        _backbone = backbone;
        for (int k = 0; k < auxiliaryHeads; k++) _auxiliary.Add(nn.Linear(backbone.FeatureDim, backbone.NumClasses));
        RegisterComponents();
    }

    public int AuxiliaryHeads => _auxiliary.Count;

    public override Tensor Features(Tensor x) => _backbone.Features(x);

    public override Tensor Classify(Tensor features) => _backbone.Classify(features);

    /// <summary>Logits of every head: [main, aux1, …, auxK].</summary>
    public Tensor[] ForwardHeads(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = Features(x);
        var heads = new Tensor[_auxiliary.Count + 1];
        heads[0] = Classify(f).MoveToOuterDisposeScope();
        for (int k = 0; k < _auxiliary.Count; k++) heads[k + 1] = _auxiliary[k].forward(f).MoveToOuterDisposeScope();
        return heads;
    }
}
