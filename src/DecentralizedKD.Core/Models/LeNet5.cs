using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// LeNet-5 as in the CCL and reference codes: conv5×5(6, pad 2) → maxpool → conv5×5(16) → maxpool → FC 400-120-84-C,
/// ReLU, no normalisation. 61,706 parameters for 1×28×28 inputs and 10 classes; features are the 84-d layer.
/// </summary>
public sealed class LeNet5 : ClassifierModel
{
    private readonly Conv2d _conv1, _conv2;
    private readonly Linear _fc1, _fc2, _fc3;

    public LeNet5(int inChannels = 1, int imageSize = 28, int numClasses = 10) : base(nameof(LeNet5), 84, numClasses)
    {
        _conv1 = nn.Conv2d(inChannels, 6, 5, padding: 2);
        _conv2 = nn.Conv2d(6, 16, 5);
        int side = (imageSize / 2 - 4) / 2;
        _fc1 = nn.Linear(16 * side * side, 120);
        _fc2 = nn.Linear(120, 84);
        _fc3 = nn.Linear(84, numClasses);
        RegisterComponents();
    }

    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool2d(functional.relu(_conv1.forward(x)), 2);
        h = functional.max_pool2d(functional.relu(_conv2.forward(h)), 2);
        h = functional.relu(_fc1.forward(h.flatten(1)));
        return functional.relu(_fc2.forward(h)).MoveToOuterDisposeScope();
    }

    public override Tensor Classify(Tensor features) => _fc3.forward(features);
}
