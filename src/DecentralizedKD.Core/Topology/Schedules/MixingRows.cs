using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// Mixing rows built straight from a graph or from in-neighbour lists, without the dense n×n matrix (a time-varying
/// schedule builds one graph per round, possibly for thousands of agents). The arithmetic is that of
/// <see cref="MixingMatrix.Build"/>: off-diagonal weights scaled by γ, the self weight last as 1 − Σ_j w_ij.
/// </summary>
public static class MixingRows
{
    /// <summary>Rows of an undirected graph with uniform (1/(deg+1)) or Metropolis–Hastings weights.</summary>
    public static MixingRow[] FromGraph(Graph graph, MixingKind kind, double gamma)
    {
        var rows = new MixingRow[graph.Nodes];
        for (int i = 0; i < graph.Nodes; i++)
        {
            var neighbours = graph.Neighbors(i).ToArray();
            var weights = new double[neighbours.Length];
            double offDiagonal = 0;
            for (int k = 0; k < neighbours.Length; k++)
            {
                int j = neighbours[k];
                weights[k] = gamma * MixingMatrix.OffDiagonal(kind, graph.Degree(i), graph.Degree(j));
                offDiagonal += weights[k];
            }
            rows[i] = new MixingRow(i, 1 - offDiagonal, neighbours, weights);
        }
        return rows;
    }

    /// <summary>
    /// A directed row: the agent averages itself and everything it received with equal weights, 1/(1 + in-degree),
    /// scaled by γ (Epidemic Learning's rule; one-peer graphs give 1/2 each).
    /// </summary>
    public static MixingRow EqualWeights(int self, int[] senders, double gamma)
    {
        var weights = new double[senders.Length];
        double offDiagonal = 0;
        for (int k = 0; k < senders.Length; k++)
        {
            weights[k] = gamma / (senders.Length + 1);
            offDiagonal += weights[k];
        }
        return new MixingRow(self, 1 - offDiagonal, senders, weights);
    }

    /// <summary>The dense matrix of one round's rows (tools and tests; n² doubles).</summary>
    public static double[,] Dense(IReadOnlyList<MixingRow> rows)
    {
        int n = rows.Count;
        var w = new double[n, n];
        foreach (var row in rows)
        {
            w[row.Self, row.Self] = row.SelfWeight;
            for (int k = 0; k < row.Degree; k++) w[row.Self, row.Neighbours[k]] += row.Weights[k];
        }
        return w;
    }
}
