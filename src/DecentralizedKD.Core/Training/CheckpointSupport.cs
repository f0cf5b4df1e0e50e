using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Which algorithms can be checkpointed. An algorithm qualifies only if its concrete class itself declares
/// <see cref="ICheckpointable.SaveState"/> and <see cref="ICheckpointable.LoadState"/>: an implementation inherited
/// from a base class cannot know a subclass's extra state, and a checkpoint missing part of the state would resume
/// into a silently different run. Anything else is refused up front, with one line naming the key and the algorithm.
/// </summary>
public static class CheckpointSupport
{
    /// <summary>The algorithm's state, or <see cref="NotSupportedException"/> when it cannot be checkpointed.</summary>
    public static ICheckpointable StateOf(IAgentAlgorithm algorithm)
    {
        var type = algorithm.GetType();
        if (algorithm is ICheckpointable state && DeclaresOwnState(type)) return state;
        throw new NotSupportedException($"{type.Name} does not implement ICheckpointable itself");
    }

    /// <summary>The algorithm's mid-iteration state (asynchronous checkpoints), or <see cref="NotSupportedException"/>.</summary>
    public static IIterationState IterationStateOf(IAgentAlgorithm algorithm)
    {
        var type = algorithm.GetType();
        if (algorithm is IIterationState state && DeclaresOwn<IIterationState>(type)) return state;
        throw new NotSupportedException($"{type.Name} does not implement IIterationState itself (needed in asynchronous mode)");
    }

    /// <summary>
    /// Up-front check for a run with checkpoints: builds agent 0, checks its algorithm and saves its state (and, in
    /// asynchronous mode, its iteration state) into
    /// nothing (so a learner that cannot save fails now, not at the first checkpoint). The probe is built on the CPU:
    /// the state it saves does not depend on the device, and a cluster coordinator node may have no GPU at all.
    /// </summary>
    public static void Verify(HostProcess process) => Verify(process.Plan.Config, () => process.CreateAgent(0, Models.ComputeDevice.Cpu));

    public static void Verify(ExperimentConfig c, Func<IAgentRuntime> createProbe)
    {
        if (c.CheckpointEvery <= 0) return;
        bool async = c.Mode == RunMode.Async;
        var needs = c.Algorithm.Descriptor.Requirements;
        if (!needs.Checkpoints || (async && !needs.AsyncCheckpoints))
            throw new InputException(
                $"experiment.checkpoint.every = {c.CheckpointEvery}: algorithm '{c.Algorithm.Name}' does not support checkpoints{(async ? " in asynchronous mode" : "")}; " +
                $"set experiment.checkpoint.every = 0{(async ? " or experiment.mode = sync" : "")}");
        using var probe = createProbe();
        try
        {
            using var sink = new BinaryWriter(Stream.Null);
            StateOf(probe.Algorithm).SaveState(sink);
            if (async) IterationStateOf(probe.Algorithm).SaveIterationState(sink);
        }
        catch (NotSupportedException e)
        {
            throw new InputException(
                $"experiment.checkpoint.every = {c.CheckpointEvery}: algorithm '{c.Algorithm.Name}' does not support checkpoints yet ({e.Message}); " +
                "set experiment.checkpoint.every = 0");
        }
    }

    private static bool DeclaresOwnState(Type type) => DeclaresOwn<ICheckpointable>(type);

    private static bool DeclaresOwn<T>(Type type) =>
        type.GetInterfaceMap(typeof(T)).TargetMethods.All(m => m.DeclaringType == type);
}
