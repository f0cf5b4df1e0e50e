
namespace DecentralizedKD.Core.Data;

public sealed class MnistDataset : DatasetDescriptor
{
    public override string Name => "mnist";
    public override string Description => "MNIST (LeCun et al., 1998): 60,000 + 10,000 grey 1×28×28 digits, 10 classes; IDX files, gzip or raw";
    public override string DefaultPath => "/usr/share/datasets/mnist";
    public override TrainTestSets Load(DatasetConfig config, ulong seed) => MnistFormat.LoadMnist(config.Path, config.Normalize);
}
