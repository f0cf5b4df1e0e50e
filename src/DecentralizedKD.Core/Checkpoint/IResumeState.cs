using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>What a resumed run needs to know of its checkpoint before it starts, whatever the mode: where it stands and the rows so far.</summary>
public interface IResumeState
{
    int CompletedRounds { get; }
    IReadOnlyList<MetricsRow> Rows { get; }
}
