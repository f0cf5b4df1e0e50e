using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Cli.Running;

/// <summary>Resident memory (VmRSS) after every <c>every</c>-th completed round: shows whether a long run stays flat.</summary>
public sealed class MemoryTrace(int every) : IRunObserver
{
    private readonly List<(int Round, long Bytes)> _samples = [];

    public IReadOnlyList<(int Round, long Bytes)> Samples => _samples;

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        if (every > 0 && completedRounds % every == 0 && ProcessMemory.ResidentBytes() is long rss) _samples.Add((completedRounds, rss));
    }
}
