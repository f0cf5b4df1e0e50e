
namespace DecentralizedKD.Core.Data;

public sealed class Cifar10Dataset : DatasetDescriptor
{
    public override string Name => "cifar10";
    public override string Description => "CIFAR-10 (Krizhevsky, 2009): 50,000 + 10,000 colour 3×32×32 images, 10 classes; the binary version";
    public override string DefaultPath => "data/cifar-10-batches-bin";
    public override TrainTestSets Load(DatasetConfig config, ulong seed) => CifarFormat.LoadCifar10(config.Path, config.Normalize);
}
