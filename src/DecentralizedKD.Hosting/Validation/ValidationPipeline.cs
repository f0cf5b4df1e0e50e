using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>What a command is about to do with an experiment; it decides which stages after the config ones run.</summary>
public enum ValidationPurpose
{
    /// <summary><c>dkd run</c>, the default run, a sweep's runs: everything, agents here.</summary>
    Run,

    /// <summary><c>dkd resume</c> in this process: the checkpoint decides the rest, so no fresh probe run.</summary>
    Resume,

    /// <summary>A cluster coordinator starting a run: no agents here, so no device check.</summary>
    Coordinator,

    /// <summary>A cluster coordinator resuming a checkpoint.</summary>
    ResumeCoordinator,

    /// <summary>A cluster worker: builds the run plan to create its agents, which compute here.</summary>
    Worker,

    /// <summary><c>dkd scale</c>: a run without outputs.</summary>
    Scale,

    /// <summary><c>dkd bench</c>: builds the run plan; the timed loops are the check.</summary>
    Bench,
}

/// <summary>
/// The one way every command validates an experiment, in order: syntax → keys → values (types, ranges) → cross-key
/// → setup (data, partition, topology, model) → preflight → checkpoints → devices, and the cluster checks on a
/// coordinator. Each stage is a small class; a failing stage throws one line naming the key or file, and nothing has
/// been written yet. Methods take part through their descriptors (requirements, own checks, own section).
/// </summary>
public static class ValidationPipeline
{
    /// <summary>The stages that need only the config text: what <see cref="Load"/> runs.</summary>
    public static IReadOnlyList<IValidationStage> ConfigStages { get; } =
        [new SyntaxStage(), new KnownKeysStage(), new ValuesStage(), new CrossKeyStage()];

    /// <summary>The stages after the config ones, for a purpose.</summary>
    public static IReadOnlyList<IValidationStage> StagesFor(ValidationPurpose purpose) => purpose switch
    {
        ValidationPurpose.Run => [new SetupStage(), new PreflightStage(), new CheckpointStage(), new DeviceStage()],
        ValidationPurpose.Resume => [new SetupStage(), new CheckpointStage(), new DeviceStage()],
        ValidationPurpose.Coordinator => [new ClusterStage(), new SetupStage(), new PreflightStage(), new CheckpointStage()],
        ValidationPurpose.ResumeCoordinator => [new ClusterStage(), new SetupStage(), new CheckpointStage()],
        ValidationPurpose.Worker => [new SetupStage(), new DeviceStage()],
        ValidationPurpose.Scale => [new SetupStage(), new PreflightStage(), new DeviceStage()],
        ValidationPurpose.Bench => [new SetupStage()],
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    /// <summary>Reads and checks a config: embedded defaults ← experiment file ← <c>--set key=value</c> overrides.</summary>
    public static LoadedExperiment Load(string? file, IEnumerable<string>? overrides = null)
    {
        var context = new ValidationContext(file, overrides);
        foreach (var stage in ConfigStages) stage.Run(context);
        return context.Loaded;
    }

    /// <summary>Builds a loaded experiment and runs the stages <paramref name="purpose"/> needs.</summary>
    public static HostProcess Prepare(LoadedExperiment loaded, ValidationPurpose purpose)
    {
        var context = new ValidationContext(null, null) { Config = loaded.Config, Cluster = loaded.Cluster, ResolvedText = loaded.ResolvedText };
        foreach (var stage in StagesFor(purpose)) stage.Run(context);
        return context.Process!;
    }
}
