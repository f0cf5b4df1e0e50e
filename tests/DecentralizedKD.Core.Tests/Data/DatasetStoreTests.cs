using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class DatasetStoreTests
{
    private static TrainTestSets Tiny() => new(new Dataset("a", [1], 2, [0f, 1f], [0, 1]), new Dataset("b", [1], 2, [1f], [1]));

    [Fact]
    public void Concurrent_callers_share_one_load()
    {
        string key = "tests:store:" + Guid.NewGuid();
        int loads = 0;
        var results = new TrainTestSets[16];
        Parallel.For(0, results.Length, i => results[i] = DatasetStore.GetOrLoad(key, () =>
        {
            Interlocked.Increment(ref loads);
            Thread.Sleep(20);
            return Tiny();
        }));
        Assert.Equal(1, loads);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void A_failed_load_is_retried_not_cached()
    {
        string key = "tests:store:" + Guid.NewGuid();
        Assert.Throws<InputException>(() => DatasetStore.GetOrLoad(key, () => throw new InputException("missing")));
        var ok = DatasetStore.GetOrLoad(key, Tiny);
        Assert.Same(ok, DatasetStore.GetOrLoad(key, () => throw new InvalidOperationException("must not reload")));
    }
}
