namespace DecentralizedKD.Core.Models;

public sealed class ResNet20Descriptor : ModelDescriptor
{
    public override string Name => "resnet20";
    public override string Description => "ResNet-20 (He et al., 2016) for CIFAR-sized images, batch norm, 64 features; images C×H×W";

    public override void Check(ModelSpec spec) => ImageInputs.Require(spec);

    public override ClassifierModel Build(ModelSpec spec) => new ResNet20(spec.InputShape[0], spec.NumClasses);
}
