using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// A link's latency distribution in seconds: constant, uniform(min, max), exponential(mean) or
/// lognormal(median, sigma). <see cref="Minimum"/> is the lookahead bound used by conservative time windows.
/// </summary>
public abstract record LatencyDistribution
{
    public abstract double Sample(Rng rng);

    /// <summary>The smallest latency this distribution can produce (0 for exponential and lognormal).</summary>
    public abstract double Minimum { get; }

    /// <summary>The words <c>network.latency.dist</c> and a links file accept.</summary>
    public static readonly KeywordTable<LatencyKind> Kinds = new(
        ("constant", LatencyKind.Constant), ("uniform", LatencyKind.Uniform), ("exponential", LatencyKind.Exponential), ("lognormal", LatencyKind.LogNormal));

    public sealed record Constant(double Value) : LatencyDistribution
    {
        public override double Sample(Rng rng) => Value;
        public override double Minimum => Value;
    }

    public sealed record Uniform(double Min, double Max) : LatencyDistribution
    {
        public override double Sample(Rng rng) => Min + (Max - Min) * rng.NextDouble();
        public override double Minimum => Min;
    }

    public sealed record Exponential(double Mean) : LatencyDistribution
    {
        public override double Sample(Rng rng) => -Mean * Math.Log(1 - rng.NextDouble());
        public override double Minimum => 0;
    }

    public sealed record LogNormal(double Median, double Sigma) : LatencyDistribution
    {
        public override double Sample(Rng rng) => Median * Math.Exp(Sigma * rng.NextNormal());
        public override double Minimum => 0;
    }

    /// <summary>Validated construction from config values (seconds); bad combinations are one-line input errors.</summary>
    public static LatencyDistribution Create(LatencyKind kind, double value, double min, double max, double mean, double median, double sigma) => kind switch
    {
        LatencyKind.Constant => value >= 0 ? new Constant(value) : throw Bad("value", value),
        LatencyKind.Uniform => min >= 0 && max >= min ? new Uniform(min, max)
            : throw new InputException($"network.latency: uniform needs 0 <= min <= max, got min = {min}s, max = {max}s"),
        LatencyKind.Exponential => mean > 0 ? new Exponential(mean) : throw Bad("mean", mean),
        LatencyKind.LogNormal => median > 0 && sigma >= 0 ? new LogNormal(median, sigma)
            : throw new InputException($"network.latency: lognormal needs median > 0 and sigma >= 0, got median = {median}s, sigma = {sigma}"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a latency kind"),
    };

    private static InputException Bad(string key, double v) => new($"network.latency.{key} = {v}s: expected a positive duration");
}

/// <summary><c>network.latency.dist</c>.</summary>
public enum LatencyKind
{
    Constant,
    Uniform,
    Exponential,
    LogNormal,
}
