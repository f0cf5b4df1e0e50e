using System.Globalization;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Seeded random topologies. Each draws from its own derived <see cref="Rng"/> stream, so the graph depends only on
/// (seed, n, parameter) and never on what else the experiment drew. A draw that is not connected is redrawn from
/// the same stream, so erdos-renyi is G(n, p) conditioned on being connected; the number of draws is bounded so an
/// impossible request fails with a clear message instead of hanging.
/// </summary>
public static class RandomGraphs
{
    /// <summary>Draws allowed before giving up (a connected draw is typically found in the first few).</summary>
    public const int MaxAttempts = 1000;

    /// <summary>G(n, p): each of the n(n−1)/2 pairs is an edge independently with probability p.</summary>
    public static Graph ErdosRenyi(int n, double p, ulong seed)
    {
        if (!(p > 0 && p <= 1))
            throw new InputException($"topology.probability = {Format(p)} for 'erdos-renyi': expected a number in (0, 1]");
        var rng = Rng.Derive(seed, n, "topology/erdos-renyi");
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var edges = new List<(int, int)>();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (rng.NextDouble() < p) edges.Add((i, j));
            var g = new Graph(n, edges);
            if (g.IsConnected()) return g;
        }
        double threshold = n > 1 ? Math.Log(n) / n : 1;
        throw new InputException(
            $"topology 'erdos-renyi': no connected graph on {n} agents with topology.probability = {Format(p)} in {MaxAttempts} draws; " +
            $"raise it well above the connectivity threshold ln(n)/n = {Format(threshold)}");
    }

    /// <summary>
    /// A random d-regular graph by the pairing (configuration) model: n·d half-edge "stubs" are shuffled and paired.
    /// Plain rejection of non-simple pairings succeeds with probability ≈ e^{−(d²−1)/4}, hopeless beyond d ≈ 6,
    /// so — as networkx's random_regular_graph (Steger–Wormald) does — pairs that would form a self-loop or a
    /// repeated edge are returned to the pool and re-paired; a pool that can no longer be paired, or a
    /// disconnected result, restarts the draw. The result is close to, not exactly, uniform over d-regular graphs.
    /// </summary>
    public static Graph Regular(int n, int d, ulong seed)
    {
        if (d < 1 || d >= n || (long)n * d % 2 != 0)
            throw new InputException($"topology 'regular': degree {d} on {n} agents is impossible (need 1 <= topology.degree < agents and agents·degree even)");
        if (d == 1 && n > 2)
            throw new InputException($"topology 'regular': a 1-regular graph on {n} agents is a perfect matching and never connected; use topology.degree >= 2");
        if (d == n - 1) return DeterministicGraphs.Full(n);  // the only (n−1)-regular graph; pairing would fight for it
        var rng = Rng.Derive(seed, n, "topology/regular");
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var edges = TryPairing(n, d, rng);
            if (edges is null) continue;
            var g = new Graph(n, edges);
            if (g.IsConnected()) return g;
        }
        throw new InputException($"topology 'regular': no simple connected {d}-regular graph on {n} agents in {MaxAttempts} draws; try another topology.degree");
    }

    private static HashSet<(int, int)>? TryPairing(int n, int d, Rng rng)
    {
        var edges = new HashSet<(int, int)>();
        var stubs = new List<int>(n * d);
        for (int node = 0; node < n; node++)
            for (int k = 0; k < d; k++) stubs.Add(node);
        while (stubs.Count > 0)
        {
            var pool = stubs.ToArray();
            rng.Shuffle<int>(pool);
            stubs.Clear();
            for (int k = 0; k < pool.Length; k += 2)
            {
                int u = Math.Min(pool[k], pool[k + 1]), v = Math.Max(pool[k], pool[k + 1]);
                if (u != v && edges.Add((u, v))) continue;
                stubs.Add(pool[k]);
                stubs.Add(pool[k + 1]);
            }
            if (stubs.Count > 0 && !AnyPairPossible(stubs, edges)) return null;
        }
        return edges;
    }

    /// <summary>Whether two distinct leftover stubs could still be joined without repeating an edge.</summary>
    private static bool AnyPairPossible(List<int> stubs, HashSet<(int, int)> edges)
    {
        var nodes = stubs.Distinct().Order().ToArray();
        for (int a = 0; a < nodes.Length; a++)
            for (int b = a + 1; b < nodes.Length; b++)
                if (!edges.Contains((nodes[a], nodes[b]))) return true;
        return false;
    }

    private static string Format(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
