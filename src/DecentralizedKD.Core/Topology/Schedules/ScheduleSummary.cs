namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// What <c>dkd topology KIND --schedule S --rounds R</c> reports about a time-varying schedule: degree statistics over
/// (agent, round) pairs, and how well it mixes. E[W], the expected mixing matrix, is exact where it is known: for a
/// random schedule whose graphs are exchangeable (<see cref="IExchangeableSchedule"/>: random-regular, random-push) from
/// its closed form, for a periodic one (static, one-peer-exponential, sequence) as the mean over one period. Any other
/// schedule gets an estimate, the mean of W_0 … W_(R−1), labelled with its R (<see cref="ExpectedMixingEstimateRounds"/>).
/// For a periodic schedule the product W_(p−1) ⋯ W_0 over one period is what one period of gossip does (for
/// one-peer-exponential on 2^k agents: exact averaging, gap 1).
/// </summary>
/// <param name="ExpectedMixingExact">Whether <paramref name="ExpectedMixingSpectralGap"/> is the gap of the exact E[W].</param>
/// <param name="ExpectedMixingEstimateRounds">For an estimate, the number of rounds averaged; null when exact.</param>
public sealed record ScheduleSummary(
    string Schedule,
    int Agents,
    int Rounds,
    int Period,
    int MinInDegree,
    double MeanInDegree,
    int MaxInDegree,
    int MinOutDegree,
    double MeanOutDegree,
    int MaxOutDegree,
    double MessagesPerRound,
    int DoublyStochasticRounds,
    double? ExpectedMixingSpectralGap,
    bool ExpectedMixingExact,
    int? ExpectedMixingEstimateRounds,
    double? PeriodProductSpectralGap)
{
    /// <summary>Above this many agents the n×n eigenvalue problems take minutes: the gaps are left out (null).</summary>
    public const int MaxSpectralAgents = TopologyChecks.MaxSpectralAgents;

    public static ScheduleSummary Of(string name, ITopologySchedule s, int rounds)
    {
        if (rounds < 1) throw new InputException($"--rounds = {rounds}: expected at least 1");
        int n = s.Agents;
        int minIn = int.MaxValue, maxIn = 0, minOut = int.MaxValue, maxOut = 0, doubly = 0;
        long sumIn = 0, sumOut = 0;
        bool spectral = n <= MaxSpectralAgents;
        // The mean over the R rounds is needed only where E[W] is not known exactly.
        var mean = spectral && s is not IExchangeableSchedule && s.Period == 0 ? new double[n, n] : null;
        for (int r = 0; r < rounds; r++)
        {
            var rows = Enumerable.Range(0, n).Select(i => s.Row(i, r)).ToArray();
            var columnSums = new double[n];
            for (int i = 0; i < n; i++)
            {
                int din = rows[i].Degree, dout = s.Recipients(i, r).Count;
                minIn = Math.Min(minIn, din); maxIn = Math.Max(maxIn, din); sumIn += din;
                minOut = Math.Min(minOut, dout); maxOut = Math.Max(maxOut, dout); sumOut += dout;
                columnSums[i] += rows[i].SelfWeight;
                for (int k = 0; k < rows[i].Degree; k++) columnSums[rows[i].Neighbours[k]] += rows[i].Weights[k];
            }
            if (columnSums.All(c => Math.Abs(c - 1) < 1e-9)) doubly++;
            if (mean is null) continue;
            var w = MixingRows.Dense(rows);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) mean[i, j] += w[i, j] / rounds;
        }
        bool exact = s is IExchangeableSchedule || s.Period > 0;
        double? expectedGap = s switch
        {
            IExchangeableSchedule x => x.ExpectedMixing().SpectralGap,   // closed form: any number of agents
            _ when !spectral => null,
            _ when s.Period > 0 => TopologyChecks.SpectralGap(MixingMatrix.FromDense(PeriodMean(s))),
            _ => TopologyChecks.SpectralGap(MixingMatrix.FromDense(mean!)),
        };
        double? productGap = spectral && s.Period > 1 ? TopologyChecks.SpectralGap(MixingMatrix.FromDense(PeriodProduct(s))) : null;
        long pairs = (long)n * rounds;
        return new ScheduleSummary(name, n, rounds, s.Period, minIn, (double)sumIn / pairs, maxIn, minOut, (double)sumOut / pairs, maxOut,
            (double)sumOut / rounds, doubly, expectedGap, exact, exact ? null : rounds, productGap);
    }

    /// <summary>(W_0 + … + W_(p−1)) / p: the exact E[W] of a schedule that repeats every p rounds, whatever R is.</summary>
    private static double[,] PeriodMean(ITopologySchedule s)
    {
        int n = s.Agents;
        var mean = new double[n, n];
        for (int r = 0; r < s.Period; r++)
        {
            var w = MixingRows.Dense(Enumerable.Range(0, n).Select(i => s.Row(i, r)).ToArray());
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) mean[i, j] += w[i, j] / s.Period;
        }
        return mean;
    }

    /// <summary>W_(p−1) ⋯ W_1 W_0: x after one period of pure gossip is this matrix times x.</summary>
    private static double[,] PeriodProduct(ITopologySchedule s)
    {
        int n = s.Agents;
        var product = new double[n, n];
        for (int i = 0; i < n; i++) product[i, i] = 1;
        for (int r = 0; r < s.Period; r++)
        {
            var w = MixingRows.Dense(Enumerable.Range(0, n).Select(i => s.Row(i, r)).ToArray());
            var next = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < n; k++)
                {
                    double wik = w[i, k];
                    if (wik == 0) continue;
                    for (int j = 0; j < n; j++) next[i, j] += wik * product[k, j];
                }
            product = next;
        }
        return product;
    }
}
