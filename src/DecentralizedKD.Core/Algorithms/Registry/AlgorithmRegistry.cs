using DecentralizedKD.Core.Algorithms.Idkd;
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

    private static readonly Lock Gate = new();
    private static IReadOnlyList<AlgorithmDescriptor> _all = BuiltIn;


    /// <summary>Every registered method: the built-in ones, then the registered ones in registration order.</summary>
    public static IReadOnlyList<AlgorithmDescriptor> All => _all;

    public static IEnumerable<string> Names => All.Select(d => d.Name);

    /// <summary>
    /// Adds a method (and its payload kinds' codecs). Registering the same descriptor type again is a no-op, so a
    /// test fixture may call it from every test; another method under a taken name is an error.
    /// </summary>
    public static void Register(AlgorithmDescriptor descriptor)
    {
        lock (Gate)
        {
            var same = _all.FirstOrDefault(d => d.Name == descriptor.Name);
            if (same is not null)
            {
                if (same.GetType() == descriptor.GetType()) return;
                throw new ArgumentException($"algorithm name '{descriptor.Name}' is already taken by {same.GetType().Name}");
            }
            if (descriptor.Section is { } s && _all.Any(d => d.Section?.Name == s.Name))
                throw new ArgumentException($"config section 'experiment.algorithm.{s.Name}' is already taken");
            PayloadCodecRegistry.Default.AddAll(descriptor.PayloadCodecs);
            _all = [.. _all, descriptor];
        }
    }

    public static AlgorithmDescriptor? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>Whether <paramref name="descriptor"/> is one of the engine's own (their sections are always in config.conf).</summary>
    public static bool IsBuiltIn(AlgorithmDescriptor descriptor) => BuiltIn.Contains(descriptor);
}
