using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// What the validation stages pass along: the inputs of a command, then each stage's product (parsed layers, the
/// typed config, the built run plan and this process over it). A stage reads what earlier stages made and adds its own.
/// </summary>
public sealed class ValidationContext
{
    public ValidationContext(string? file, IEnumerable<string>? overrides)
    {
        File = file;
        Overrides = overrides?.ToArray() ?? [];
    }

    /// <summary>The experiment file, or null for the defaults alone.</summary>
    public string? File { get; }

    /// <summary><c>--set key=value</c> assignments, applied over the file in order (the last one wins).</summary>
    public IReadOnlyList<string> Overrides { get; }

    internal HoconConfig? Defaults { get; set; }
    internal HashSet<string> KnownKeys { get; set; } = [];

    /// <summary>The file's layer, then one per override, each with where it came from (for messages).</summary>
    internal List<(HoconConfig Layer, string Source)> Layers { get; } = [];

    internal HoconConfig? Merged { get; set; }

    public ExperimentConfig? Config { get; internal set; }
    public ClusterOptions Cluster { get; internal set; } = ClusterOptions.Default;
    public string ResolvedText { get; internal set; } = "";
    public HostProcess? Process { get; internal set; }

    public LoadedExperiment Loaded => new(Config ?? throw new InvalidOperationException("the config was not read yet"), ResolvedText) { Cluster = Cluster };
}
