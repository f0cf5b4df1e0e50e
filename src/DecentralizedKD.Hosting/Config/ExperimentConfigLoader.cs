using DecentralizedKD.Core.Config;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// Loads an experiment: embedded <c>hocon/defaults.conf</c> (plus every registered method's section) ← experiment
/// file ← <c>--set key=value</c> overrides, through the config stages of <see cref="ValidationPipeline"/>: every key is
/// checked against the defaults (unknown key ⇒ error naming the nearest known key) and every value is type- and
/// range-checked up front, so a run never starts on a bad config.
/// </summary>
public static class ExperimentConfigLoader
{
    public static LoadedExperiment Load(string? file, IEnumerable<string>? overrides = null) => ValidationPipeline.Load(file, overrides);
}

public sealed record LoadedExperiment(ExperimentConfig Config, string ResolvedText)
{
    /// <summary>The <c>experiment.cluster</c> section (multi-process runs only).</summary>
    public ClusterOptions Cluster { get; init; } = ClusterOptions.Default;

    /// <summary>Identifies what the experiment computes (see <see cref="ExperimentFingerprint"/>).</summary>
    public string Fingerprint => ExperimentFingerprint.Of(ResolvedText);
}
