using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// CIFAR ResNet-20 with GroupNorm(2, C) instead of BatchNorm (no running-statistics buffers, so the flat parameter
/// vector is the whole model state and gossip averaging is exact). 3 stages × 3 basic blocks, widths 16/32/64,
/// 1×1 conv + GN shortcut on downsampling, global average pooling; 272,474 parameters for 3×32×32 and 10 classes.
/// </summary>
public sealed class ResNet20 : ClassifierModel
{
    private readonly Conv2d _stem;
    private readonly GroupNorm _stemNorm;
    private readonly ModuleList<BasicBlock> _blocks = new();
    private readonly Linear _fc;

    public ResNet20(int inChannels = 3, int numClasses = 10) : base(nameof(ResNet20), 64, numClasses)
    {
        _stem = nn.Conv2d(inChannels, 16, 3, padding: 1, bias: false);
        _stemNorm = nn.GroupNorm(2, 16);
        int width = 16;
        foreach (var (planes, stride) in new[] { (16, 1), (32, 2), (64, 2) })
        {
            for (int b = 0; b < 3; b++)
            {
                _blocks.Add(new BasicBlock(width, planes, b == 0 ? stride : 1));
                width = planes;
            }
        }
        _fc = nn.Linear(64, numClasses);
        RegisterComponents();
    }

    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(_stemNorm.forward(_stem.forward(x)));
        foreach (var block in _blocks) h = block.forward(h);
        return functional.adaptive_avg_pool2d(h, 1).flatten(1).MoveToOuterDisposeScope();
    }

    public override Tensor Classify(Tensor features) => _fc.forward(features);

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1, _conv2;
        private readonly GroupNorm _norm1, _norm2;
        private readonly Conv2d? _shortcutConv;
        private readonly GroupNorm? _shortcutNorm;

        public BasicBlock(int inPlanes, int planes, int stride) : base(nameof(BasicBlock))
        {
            _conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            _norm1 = nn.GroupNorm(2, planes);
            _conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
            _norm2 = nn.GroupNorm(2, planes);
            if (stride != 1 || inPlanes != planes)
            {
                _shortcutConv = nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false);
                _shortcutNorm = nn.GroupNorm(2, planes);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = functional.relu(_norm1.forward(_conv1.forward(x)));
            h = _norm2.forward(_conv2.forward(h));
            var shortcut = _shortcutConv is null ? x : _shortcutNorm!.forward(_shortcutConv.forward(x));
            return functional.relu(ScalarOps.Add(h, shortcut)).MoveToOuterDisposeScope();   // not h + shortcut: see ScalarOps
        }
    }
}
