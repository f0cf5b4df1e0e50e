using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// The methods this engine knows. A built-in method is one line in <see cref="BuiltIn"/>; a method defined outside
/// the engine (a test, a plug-in assembly) calls <see cref="Register"/> once before configs are loaded, in every
/// process of a run (the cluster's workers load the config too).
/// </summary>
public static class AlgorithmRegistry
{
    /// <summary>The engine's own methods, in documentation order.</summary>
    public static IReadOnlyList<AlgorithmDescriptor> BuiltIn { get; } =
    [
        new LocalDescriptor(),
        new DpsgdDescriptor(),
        new ChocoDescriptor(),
        new SparseDpsgdDescriptor(),
        new QgmDescriptor(),
        new CclDescriptor(),
        new IdkdDescriptor(),
        new MhdDescriptor(),
        new FedAvgDescriptor(),
        new FedDkdDescriptor(),
    ];

    /// <summary>The registry itself: validation, config.conf and <c>dkd list</c> treat methods like every other plug-in kind.</summary>
    public static PluginRegistry<AlgorithmDescriptor> Registry { get; } = new("algorithm", "algorithms", "experiment.algorithm.name",
        ConfigSection.AlgorithmRoot, BuiltIn, d => PayloadCodecRegistry.Default.AddAll(d.PayloadCodecs));

    /// <summary>Every registered method: the built-in ones, then the registered ones in registration order.</summary>
    public static IReadOnlyList<AlgorithmDescriptor> All => Registry.All;

    public static IEnumerable<string> Names => Registry.Names;

    /// <summary>
    /// Adds a method (and its payload kinds' codecs). Registering the same descriptor type again is a no-op, so a
    /// test fixture may call it from every test; another method under a taken name is an error.
    /// </summary>
    public static void Register(AlgorithmDescriptor descriptor) => Registry.Register(descriptor);

    public static AlgorithmDescriptor? Find(string name) => Registry.Find(name);

    /// <summary>Whether <paramref name="descriptor"/> is one of the engine's own (their sections are always in config.conf).</summary>
    public static bool IsBuiltIn(AlgorithmDescriptor descriptor) => Registry.IsBuiltIn(descriptor);
}
