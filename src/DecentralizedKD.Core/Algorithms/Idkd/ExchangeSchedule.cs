namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// When IDKD exchanges labels, relative to the run length (the reference code: end of epoch 245, 250, …, 295 of 300,
/// i.e. from ≈ 0.8 of the run every ≈ 1/60 of it). The first exchange ends iteration number
/// <see cref="FirstAfter"/> = max(1, ⌊start·rounds⌋) counted from 1 (0-based round FirstAfter − 1), then one every
/// <see cref="Every"/> = max(1, round(period·rounds)) rounds while rounds remain.
/// </summary>
public sealed record ExchangeSchedule(int FirstAfter, int Every, int Rounds)
{
    public static ExchangeSchedule FromFractions(double start, double period, int rounds)
    {
        if (start is < 0 or > 1) throw new InputException($"experiment.algorithm.idkd.start = {start}: expected a fraction in [0, 1]");
        if (!(period > 0) || period > 1) throw new InputException($"experiment.algorithm.idkd.period = {period}: expected a fraction in (0, 1]");
        // The small epsilon keeps 0.8·1170 = 936 from flooring to 935 through binary rounding.
        int first = Math.Clamp((int)Math.Floor(start * rounds + 1e-9), 1, rounds);
        int every = Math.Max(1, (int)Math.Round(period * rounds, MidpointRounding.AwayFromZero));
        return new ExchangeSchedule(first, every, rounds);
    }

    /// <summary>Whether 0-based iteration <paramref name="round"/> ends with a label exchange.</summary>
    public bool IsExchange(int round)
    {
        int completed = round + 1;
        return round < Rounds && completed >= FirstAfter && (completed - FirstAfter) % Every == 0;
    }

    /// <summary>0 for the first exchange, 1 for the second, … (only meaningful where <see cref="IsExchange"/>).</summary>
    public int IndexOf(int round) => (round + 1 - FirstAfter) / Every;

    /// <summary>How many exchanges the run has.</summary>
    public int Count => (Rounds - FirstAfter) / Every + 1;
}
