
namespace DecentralizedKD.Core.Data;

public sealed class Cifar100Dataset : DatasetDescriptor
{
    public override string Name => "cifar100";
    public override string Description => "CIFAR-100 (Krizhevsky, 2009): 50,000 + 10,000 colour 3×32×32 images, 100 fine classes; the binary version";
    public override string DefaultPath => "data/cifar-100-binary";
    public override TrainTestSets Load(DatasetConfig config, ulong seed) => CifarFormat.LoadCifar100(config.Path, config.Normalize);
}
