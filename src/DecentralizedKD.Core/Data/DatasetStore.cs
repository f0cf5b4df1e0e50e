using System.Collections.Concurrent;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// One in-memory copy of each dataset per process, however many agents and runs use it. Concurrent callers with
/// the same key share one load (Lazy with ExecutionAndPublication): the loader runs once, the rest wait for it.
/// </summary>
public static class DatasetStore
{
    private static readonly ConcurrentDictionary<string, Lazy<TrainTestSets>> Cache = new();

    public static TrainTestSets GetOrLoad(string key, Func<TrainTestSets> load)
    {
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<TrainTestSets>(load, LazyThreadSafetyMode.ExecutionAndPublication));
        try { return lazy.Value; }
        catch
        {
            // A failed load (e.g. a missing file) must not poison the cache: drop this very entry (not one a later
            // caller may already have put back) so the next call retries.
            Cache.TryRemove(new KeyValuePair<string, Lazy<TrainTestSets>>(key, lazy));
            throw;
        }
    }
}
