namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// An observer that appends to a file (events.jsonl). An asynchronous checkpoint flushes it and records its length;
/// resuming cuts the file back to that length, so the resumed file equals the uninterrupted one.
/// </summary>
public interface ICheckpointedLog : IAsyncObserver
{
    /// <summary>Writes everything buffered through to disk and returns the file's length in bytes.</summary>
    long FlushToDisk();
}
