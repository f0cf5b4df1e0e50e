using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Resident memory (VmRSS) after every <c>every</c>-th completed round: shows whether a long run stays flat.
/// With <paramref name="settle"/> each sample first runs a blocking, LOH-compacting full collection (finalizers
/// included, so undisposed tensors release their native memory): the garbage collector's sawtooth — a whole
/// parameter snapshot per agent per round on the large-object heap — then no longer hides a slow leak, and the
/// managed heap size after collection is recorded too.
/// </summary>
public sealed class MemoryTrace(int every, bool settle = false) : IRunObserver
{
    private readonly List<MemorySample> _samples = [];
    // Wall time of each sample (before any settling collection): per-round times show whether rounds slow down.
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public IReadOnlyList<MemorySample> Samples => _samples;

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        if (every <= 0 || completedRounds % every != 0) return;
        double seconds = _clock.Elapsed.TotalSeconds;
        long? managed = null;
        if (settle)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            managed = GC.GetTotalMemory(forceFullCollection: false);
        }
        if (ProcessMemory.ResidentBytes() is long rss) _samples.Add(new MemorySample(completedRounds, rss, managed, seconds));
    }
}

/// <summary>
/// One point of a <see cref="MemoryTrace"/>: resident bytes, when settled the managed heap after collection, and the
/// wall seconds since the trace began (so the time between two samples is the time of the rounds between them).
/// </summary>
public sealed record MemorySample(int Round, long Bytes, long? ManagedBytes, double Seconds = double.NaN);
