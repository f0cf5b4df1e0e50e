namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// Per-agent IDKD counters for the run report (agents.csv, summary.md): how many public samples the agent's own
/// detector kept at the first exchange, and how many labelled public samples it fine-tunes on after its latest
/// exchange. Each agent writes only its own slot from its own thread; the report reads them after the run.
/// </summary>
public sealed class PublicSampleCounts(int agents)
{
    private readonly int[] _flagged = new int[agents];
    private readonly int[] _selected = new int[agents];

    public int Agents => _flagged.Length;

    public void RecordFlagged(int agent, int count) => Volatile.Write(ref _flagged[agent], count);

    public void RecordSelected(int agent, int count) => Volatile.Write(ref _selected[agent], count);

    public int Flagged(int agent) => Volatile.Read(ref _flagged[agent]);

    public int Selected(int agent) => Volatile.Read(ref _selected[agent]);
}
