using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary><c>static</c>: the configured <c>topology.kind</c> graph and mixing matrix in every round (the default).</summary>
public sealed class StaticSchedule : ITopologySchedule
{
    private readonly MixingRow[] _rows;

    public StaticSchedule(Graph graph, MixingMatrix mixing)
    {
        _rows = new MixingRow[graph.Nodes];
        for (int i = 0; i < graph.Nodes; i++)
        {
            var neighbours = graph.Neighbors(i).ToArray();
            _rows[i] = new MixingRow(i, mixing.Weight(i, i), neighbours, neighbours.Select(j => mixing.Weight(i, j)).ToArray());
        }
    }

    public int Agents => _rows.Length;
    public bool IsStatic => true;
    public int Period => 1;
    public MixingRow Row(int agent, int round) => _rows[agent];
    public IReadOnlyList<int> Recipients(int agent, int round) => _rows[agent].Neighbours;
    public IReadOnlyList<int> PossiblePeers(int agent) => _rows[agent].Neighbours;
}
