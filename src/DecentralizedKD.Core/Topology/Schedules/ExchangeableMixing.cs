namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// A random schedule whose distribution of round graphs does not change when the agents are relabelled (exchangeable):
/// then every off-diagonal entry of W has the same mean, and so does every diagonal one, and E[W] is known exactly from
/// one number (<see cref="ExchangeableMixing"/>) instead of being estimated from a finite run of rounds.
/// </summary>
public interface IExchangeableSchedule
{
    /// <summary>The exact E[W] over the schedule's random graphs.</summary>
    ExchangeableMixing ExpectedMixing();
}

/// <summary>
/// E[W] = (1 − (n − 1)·b) I + b (J − I) for an exchangeable schedule with row-stochastic rounds, b the mean of one
/// off-diagonal entry. Its eigenvalues are 1 (the constant vector) and 1 − n·b (every vector orthogonal to it, n − 1
/// times), so its spectral gap 1 − max(|λ₂|, |λₙ|) is 1 − |1 − n·b|, for any n without an eigenvalue solver.
/// </summary>
public sealed record ExchangeableMixing(int Agents, double OffDiagonal)
{
    public double Diagonal => 1 - (Agents - 1) * OffDiagonal;

    public double SpectralGap => Agents == 1 ? 1.0 : 1 - Math.Abs(1 - Agents * OffDiagonal);

    /// <summary>The n×n matrix (tests and tools; n² doubles).</summary>
    public double[,] Dense()
    {
        var w = new double[Agents, Agents];
        for (int i = 0; i < Agents; i++)
            for (int j = 0; j < Agents; j++) w[i, j] = i == j ? Diagonal : OffDiagonal;
        return w;
    }
}
