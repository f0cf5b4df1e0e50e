namespace DecentralizedKD.Core.Topology;

/// <summary>Metropolis–Hastings 1/(1+max(deg_i,deg_j)) (symmetric, doubly stochastic) or uniform 1/(deg_i+1) (row-stochastic).</summary>
public enum MixingKind { Uniform, MetropolisHastings }

/// <summary>
/// The gossip weights W (dense, row-major; n is at most a few thousand). With averaging rate γ the matrix is
/// W_γ = (1−γ)I + γW (CCL). Non-zeros only on edges and the diagonal.
/// </summary>
public sealed class MixingMatrix
{
    private readonly double[] _w;

    private MixingMatrix(int n, double[] w)
    {
        Size = n;
        _w = w;
    }

    public int Size { get; }
    public double Weight(int i, int j) => _w[i * Size + j];
    public double SelfWeight(int i) => Weight(i, i);

    public static MixingKind ParseKind(string name) => name switch
    {
        "uniform" => MixingKind.Uniform,
        "mh" or "metropolis-hastings" => MixingKind.MetropolisHastings,
        _ => throw new InputException($"mixing '{name}': expected uniform | mh"),
    };

    public static MixingMatrix Build(Graph g, MixingKind kind, double gamma = 1.0)
    {
        if (!(gamma > 0 && gamma <= 1)) throw new InputException($"topology.gamma = {gamma}: expected a number in (0, 1]");
        int n = g.Nodes;
        var w = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            double offDiagonal = 0;
            foreach (int j in g.Neighbors(i))
            {
                double wij = kind == MixingKind.Uniform ? 1.0 / (g.Degree(i) + 1) : 1.0 / (1 + Math.Max(g.Degree(i), g.Degree(j)));
                w[i * n + j] = gamma * wij;
                offDiagonal += w[i * n + j];
            }
            w[i * n + i] = 1 - offDiagonal;
        }
        return new MixingMatrix(n, w);
    }

    public static MixingMatrix FromDense(double[,] dense)
    {
        int n = dense.GetLength(0);
        if (dense.GetLength(1) != n) throw new ArgumentException("mixing matrix must be square");
        var w = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) w[i * n + j] = dense[i, j];
        return new MixingMatrix(n, w);
    }

    public double[] ToArray() => (double[])_w.Clone();
}
