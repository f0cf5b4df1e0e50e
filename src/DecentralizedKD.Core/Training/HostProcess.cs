using System.Collections.Concurrent;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Memory;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// What this process holds of a run, over its <see cref="RunPlan"/>: the pool of parameter-sized buffers its agents
/// share, its devices, where its agents sit among this host's agents (host slots), whether its agents keep payloads
/// across iterations, the per-run report objects its agents write, and the factories of its agents and evaluator.
/// Every choice is made when the object is made: <see cref="KeepingPayloadsAcrossIterations"/> and
/// <see cref="ForHostAgents"/> return a new one that shares the pool, devices and report objects (one process has one of
/// each), never change this one.
/// </summary>
public sealed class HostProcess
{
    /// <summary>What one process has once, whichever placement of its agents asks: shared by every derived <see cref="HostProcess"/>.</summary>
    private sealed class Resources(RunPlan plan)
    {
        public FloatBufferPool BufferPool { get; } = new();
        public Lazy<DevicePlacement> Devices { get; } = new(() => DevicePlacement.ForThisProcess(plan.Config.Device));
        public PublicSampleCounts PublicSamples { get; } = new(plan.Config.AgentCount);
        public ConcurrentDictionary<Type, object> MethodReports { get; } = new();
    }

    private readonly Resources _resources;
    private readonly IReadOnlyDictionary<int, int>? _slots;

    /// <summary>A process holding any of <paramref name="plan"/>'s agents, each in the slot of its id.</summary>
    public HostProcess(RunPlan plan) : this(plan, new Resources(plan), plan.Config.Mode != RunMode.Sync, null) { }

    private HostProcess(RunPlan plan, Resources resources, bool payloadsOutliveIteration, IReadOnlyDictionary<int, int>? slots)
    {
        Plan = plan;
        _resources = resources;
        PayloadsOutliveIteration = payloadsOutliveIteration;
        _slots = slots;
    }

    /// <summary>The plan of <paramref name="config"/> (data loaded, models probed) and this process over it.</summary>
    public static HostProcess Build(ExperimentConfig config) => new(RunPlan.Build(config));

    public RunPlan Plan { get; }

    /// <summary>
    /// This process's pool of parameter-sized buffers (snapshots and the payloads holding them), shared by its agents;
    /// its counters say whether every buffer came back at the end of a run.
    /// </summary>
    public FloatBufferPool BufferPool => _resources.BufferPool;

    /// <summary>
    /// Whether an agent keeps each neighbour's latest payload after combining it: asynchronous runs combine with a
    /// silent neighbour's last payload, and so does a synchronous cluster run that goes on without a lost host
    /// (<see cref="KeepingPayloadsAcrossIterations"/>). A plain synchronous run receives every payload anew each iteration.
    /// </summary>
    public bool PayloadsOutliveIteration { get; }

    /// <summary>
    /// This process for a synchronous run whose neighbours may go silent (a cluster that continues without a lost
    /// host): its agents keep each neighbour's last payload. Same pool, devices and report objects.
    /// </summary>
    public HostProcess KeepingPayloadsAcrossIterations() => new(Plan, _resources, true, _slots);

    /// <summary>
    /// This process holding only <paramref name="agentIds"/> (a cluster worker's assignment): the k-th of them takes
    /// slot k, so each host spreads its own agents evenly over its own GPUs. Same pool, devices and report objects. It
    /// only decides which GPU each agent gets, never a result on the CPU.
    /// </summary>
    public HostProcess ForHostAgents(IReadOnlyList<int> agentIds) =>
        new(Plan, _resources, PayloadsOutliveIteration, agentIds.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k));

    /// <summary>IDKD's per-agent public-sample counts of the run (written by the agents, read by the report).</summary>
    public PublicSampleCounts PublicSamples => _resources.PublicSamples;

    /// <summary>
    /// A per-run object that a method's agents write to and its descriptor's report reads (e.g. counters), one per
    /// type, made on first use. Agents write only their own slots, so every thread may ask for it.
    /// </summary>
    public T MethodReport<T>(Func<T> create) where T : class => (T)_resources.MethodReports.GetOrAdd(typeof(T), _ => create());

    /// <summary>This process's devices for <c>experiment.device</c>, resolved at first use.</summary>
    public DevicePlacement Devices => _resources.Devices.Value;

    /// <summary>
    /// Where agents will compute in this process: throws <see cref="InputException"/> for <c>cuda</c> on a machine
    /// without a GPU. Called before a run starts wherever agents live (not on a cluster coordinator node, which has none).
    /// </summary>
    public IReadOnlyList<ComputeDevice> CheckAgentDevices() => Devices.AgentDevices;

    /// <summary>Agent <paramref name="id"/>'s position among this host's agents (see <see cref="ForHostAgents"/>); by default the id itself.</summary>
    public int HostSlot(int id) => _slots is not null && _slots.TryGetValue(id, out int k) ? k : id;

    /// <summary>The device agent <paramref name="id"/> computes on in this process.</summary>
    public ComputeDevice DeviceOf(int id) => Devices.ForSlot(HostSlot(id));

    public IAgentRuntime CreateAgent(int id) => CreateAgent(id, DeviceOf(id));

    /// <summary>Agent <paramref name="id"/> on a given device (the preflight probe builds agent 0 on the CPU).</summary>
    public IAgentRuntime CreateAgent(int id, ComputeDevice device) =>
        id == Plan.ServerId ? Plan.Config.Algorithm.Descriptor.CreateServer(this) : AgentRuntime.Create(this, id, device);

    public IParameterEvaluator CreateEvaluator() => new ScratchModelEvaluator(Plan, Devices.Evaluation);
}
