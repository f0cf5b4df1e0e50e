namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// Per-agent counts of CHOCO updates missed (q's dropped or lost on the way) for the run's report. Each agent writes
/// only its own slot, from its own thread, after every combine; the report reads them after the run. A slot nobody
/// wrote (the agent ran in another process, e.g. on a cluster worker) reads as null.
/// </summary>
public sealed class ChocoMissedUpdates(int agents)
{
    private readonly long[] _missed = Enumerable.Repeat(-1L, agents).ToArray();

    public int Agents => _missed.Length;

    public void Record(int agent, long missed) => Volatile.Write(ref _missed[agent], missed);

    public long? Of(int agent) => Volatile.Read(ref _missed[agent]) is var m && m >= 0 ? m : null;
}
