namespace DecentralizedKD.Core.Optimization;

/// <summary>
/// Learning rate as a function of the round (iteration) index, 0-based. Warm-up ramps linearly from
/// <c>WarmupFrom</c>·lr to lr over <c>WarmupRounds</c> (QGM's recipe); afterwards the decay kind applies.
/// </summary>
public sealed record LearningRateSchedule(
    double BaseLr,
    ScheduleKind Kind = ScheduleKind.Constant,
    IReadOnlyList<int>? Milestones = null,
    double Gamma = 0.1,
    int TotalRounds = 0,
    int WarmupRounds = 0,
    double WarmupFrom = 0.0)
{
    public double At(int round)
    {
        if (WarmupRounds > 0 && round < WarmupRounds)
        {
            double start = WarmupFrom * BaseLr;
            return start + (BaseLr - start) * (round + 1) / WarmupRounds;
        }
        switch (Kind)
        {
            case ScheduleKind.Constant:
                return BaseLr;
            case ScheduleKind.Step:
                int passed = 0;
                foreach (int m in Milestones ?? []) if (round >= m) passed++;
                return BaseLr * Math.Pow(Gamma, passed);
            case ScheduleKind.Cosine:
                int span = Math.Max(1, TotalRounds - WarmupRounds);
                double progress = Math.Clamp((double)(round - WarmupRounds) / span, 0, 1);
                return 0.5 * BaseLr * (1 + Math.Cos(Math.PI * progress));
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "not a schedule kind");
        }
    }
}
