using DecentralizedKD.Core.Data;
using TorchSharp;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class PublicPoolTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void Public_pool_serves_features_of_held_out_samples_only()
    {
        var train = fmnist.Data.Train;
        var p = Partitioner.Split(train.Labels, 10, new PartitionSpec("dirichlet", 8, 0.5, 10, 2, 0.1), 2);
        Assert.Equal(6000, p.PublicIndices.Length);
        var pool = new PublicPool(train, p.PublicIndices);
        Assert.Equal(6000, pool.Count);
        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        using (var scope = torch.NewDisposeScope())
        {
            var x = pool.Features([0, 5999]);
            Assert.Equal(new long[] { 2, 1, 28, 28 }, x.shape);
            Assert.Equal(train.Sample(p.PublicIndices[5999])[300], x[1, 0, 10, 20].item<float>());
            var chunk = pool.Features(5990, 10);
            Assert.Equal(train.Sample(p.PublicIndices[5995]).ToArray(), chunk[5].data<float>().ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => pool.Features([6000]));
            Assert.Throws<ArgumentOutOfRangeException>(() => pool.Features(5995, 10));
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        Assert.DoesNotContain(typeof(PublicPool).GetMembers(), m => m.Name.Contains("Label", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(PublicPool).GetProperties(), m => m.PropertyType == typeof(Dataset) || m.PropertyType == typeof(int[]) && m.Name != "SampleShape");
    }
}
