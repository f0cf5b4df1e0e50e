
namespace DecentralizedKD.Core.Data;

public sealed class FashionMnistDataset : DatasetDescriptor
{
    public override string Name => "fashion-mnist";
    public override string Description => "Fashion-MNIST (Xiao et al., 2017): 60,000 + 10,000 grey 1×28×28 images, 10 classes; IDX files, gzip or raw";
    public override string DefaultPath => "/usr/share/datasets/fashion-mnist";
    public override TrainTestSets Load(DatasetConfig config, ulong seed) => MnistFormat.LoadFashionMnist(config.Path, config.Normalize);
}
