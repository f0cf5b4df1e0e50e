using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DecentralizedKD.Core.Models;

/// <summary>Multi-layer perceptron on flattened inputs; features are the last hidden layer.</summary>
public sealed class Mlp : ClassifierModel
{
    private readonly ModuleList<Linear> _hidden = new();
    private readonly Linear _head;

    public Mlp(int inputSize, IReadOnlyList<int> hidden, int numClasses) : base(nameof(Mlp), hidden.Count > 0 ? hidden[^1] : inputSize, numClasses)
    {
        int width = inputSize;
        foreach (int h in hidden)
        {
            _hidden.Add(nn.Linear(width, h));
            width = h;
        }
        _head = nn.Linear(width, numClasses);
        RegisterComponents();
    }

    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.flatten(1);
        foreach (var layer in _hidden) h = functional.relu(layer.forward(h));
        return h.MoveToOuterDisposeScope();
    }

    public override Tensor Classify(Tensor features) => _head.forward(features);
}
