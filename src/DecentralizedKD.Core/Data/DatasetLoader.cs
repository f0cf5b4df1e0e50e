
namespace DecentralizedKD.Core.Data;

/// <summary>Maps the experiment's dataset section to a loaded (cached) <see cref="TrainTestSets"/>.</summary>
public static class DatasetLoader
{
    public static TrainTestSets Load(DatasetConfig c, ulong seed) =>
        DatasetStore.GetOrLoad(c.Source.CacheKey(c, seed), () => c.Source.Load(c, seed));
}
