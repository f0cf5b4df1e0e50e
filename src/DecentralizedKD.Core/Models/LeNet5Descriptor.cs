namespace DecentralizedKD.Core.Models;

public sealed class LeNet5Descriptor : ModelDescriptor
{
    public override string Name => "lenet5";
    public override string Description => "LeNet-5 (LeCun et al., 1998): two convolutions, three dense layers, 84 features; square images C×H×H, H >= 16";

    public override void Check(ModelSpec spec)
    {
        ImageInputs.Require(spec);
        if (spec.InputShape[1] != spec.InputShape[2] || spec.InputShape[1] < 16)
            throw new InputException($"model 'lenet5' needs square images of side >= 16, got {spec.InputShape[1]}×{spec.InputShape[2]}");
    }

    public override ClassifierModel Build(ModelSpec spec) => new LeNet5(spec.InputShape[0], spec.InputShape[1], spec.NumClasses);
}
