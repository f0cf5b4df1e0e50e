using System.Collections.Concurrent;

namespace DecentralizedKD.Core.Data;

/// <summary>One in-memory copy of each dataset per process, however many agents and runs use it.</summary>
public static class DatasetStore
{
    private static readonly ConcurrentDictionary<string, Lazy<DataSplit>> Cache = new();

    public static DataSplit GetOrLoad(string key, Func<DataSplit> load)
    {
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<DataSplit>(load, LazyThreadSafetyMode.ExecutionAndPublication));
        try { return lazy.Value; }
        catch
        {
            Cache.TryRemove(key, out _); // a failed load (e.g. missing file) must not poison the cache
            throw;
        }
    }
}
