using DecentralizedKD.Core.Data;

namespace DecentralizedKD.Core.Tests.Data;

/// <summary>Loads the real Fashion-MNIST once per test class (installed by run.sh via dataset-fashion-mnist).</summary>
public sealed class FashionMnistFixture
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";
    public TrainTestSets Data { get; } = DatasetStore.GetOrLoad("tests:fashion-mnist",
        () => MnistFormat.LoadFashionMnist(Directory, normalize: true));
}
