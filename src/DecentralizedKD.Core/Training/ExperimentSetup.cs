using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Schedules;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Everything an experiment shares across its agents, built once per process: the dataset (one in-memory copy), the
/// partition (index arrays only), the graph and mixing matrix, and the model specification. Agents are created from
/// it on their own compute thread with <see cref="CreateAgent"/>; every random choice derives from
/// (experiment seed, agent id, purpose).
/// </summary>
public sealed class ExperimentSetup
{
    private ExperimentSetup(ExperimentConfig config, TrainTestSets data, Partition partition, ITopologySchedule topology, IReadOnlyList<ModelKind> modelKinds, int[] kindOf)
    {
        Config = config;
        Data = data;
        Partition = partition;
        Topology = topology;
        ModelKinds = modelKinds;
        _kindOf = kindOf;
        PublicSamples = new PublicSampleCounts(config.AgentCount);
        NeighbourLists = Enumerable.Range(0, config.AgentCount).Select(topology.PossiblePeers).ToArray();
        EvaluationSample = new EvaluationSample(config.Seed, config.Agents, config.EvalSampleAgents);
        PayloadsOutliveIteration = config.Mode != RunMode.Sync;
    }

    public ExperimentConfig Config { get; }

    /// <summary>
    /// This process's pool of parameter-sized buffers (snapshots and the payloads holding them), shared by its agents;
    /// its counters say whether every buffer came back at the end of a run.
    /// </summary>
    public Memory.FloatBufferPool BufferPool { get; } = new();

    /// <summary>
    /// Whether an agent keeps each neighbour's latest payload after combining it: asynchronous runs combine with a
    /// silent neighbour's last payload, and so does a synchronous cluster run that goes on without a lost host
    /// (<see cref="KeepPayloadsAcrossIterations"/>). A plain synchronous run receives every payload anew each iteration.
    /// </summary>
    public bool PayloadsOutliveIteration { get; private set; }

    /// <summary>For a synchronous run whose neighbours may go silent (a cluster that continues without a lost host).</summary>
    public void KeepPayloadsAcrossIterations() => PayloadsOutliveIteration = true;

    /// <summary>Which learners each evaluation tests (<c>eval.sample-agents</c>; all by default).</summary>
    public EvaluationSample EvaluationSample { get; }
    public TrainTestSets Data { get; }
    public Partition Partition { get; }

    /// <summary>Who talks to whom in each round (<c>topology.schedule</c>; the static <c>topology.kind</c> graph by default).</summary>
    public ITopologySchedule Topology { get; }

    /// <summary>The experiment's models, in the order of their first agent: one unless <c>experiment.model.per-agent</c> gives agents different ones.</summary>
    public IReadOnlyList<ModelKind> ModelKinds { get; }

    private readonly int[] _kindOf;

    /// <summary>Whether agents have different models: then there is no averaged model and no consensus distance.</summary>
    public bool ModelsDiffer => ModelKinds.Count > 1;

    /// <summary>The model of agent <paramref name="id"/> (the FedAvg/FedDKD server included) and the agents sharing it.</summary>
    public ModelKind ModelKindOf(int id) => ModelKinds[_kindOf[id]];

    public ModelSpec ModelSpecOf(int id) => ModelKindOf(id).Spec;
    public int ParameterCountOf(int id) => ModelKindOf(id).ParameterCount;

    /// <summary>Parameters of the largest model: what bounds a message carrying one agent's parameters.</summary>
    public int LargestParameterCount => ModelKinds.Max(k => k.ParameterCount);

    /// <summary>The model every agent has. Asking when agents' models differ is a bug (see <see cref="ModelsDiffer"/>).</summary>
    public ModelSpec ModelSpec => Common.Spec;

    /// <summary>Parameters per agent, for methods whose agents all have one model (every method that exchanges parameters).</summary>
    public int ParameterCount => Common.ParameterCount;

    public int FeatureDim => Common.FeatureDim;

    private ModelKind Common => ModelKinds.Count == 1 ? ModelKinds[0]
        : throw new InvalidOperationException("agents' models differ (experiment.model.per-agent): ask for one agent's model (ModelKindOf)");

    /// <summary>
    /// Every agent each agent may exchange with in some round: its neighbours under a static schedule, whom its actor
    /// must be able to reach under a time-varying one.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> NeighbourLists { get; }

    /// <summary>IDKD's per-agent public-sample counts of the run (written by the agents, read by the report).</summary>
    public PublicSampleCounts PublicSamples { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> _methodReports = new();

    /// <summary>
    /// A per-run object that a method's agents write to and its descriptor's report reads (e.g. counters), one per
    /// type, made on first use. Agents write only their own slots, so every thread may ask for it.
    /// </summary>
    public T MethodReport<T>(Func<T> create) where T : class => (T)_methodReports.GetOrAdd(typeof(T), _ => create());

    /// <summary>Seed of the common initial model (every agent starts from identical weights, as in all reference codes).</summary>
    public long InitSeed => InitSeedOf(Config.Seed, "model-init");

    /// <summary>Seed of agent <paramref name="id"/>'s initial weights: the same for every agent of its model kind.</summary>
    public long InitSeedFor(int id) => ModelKindOf(id).InitSeed;

    private static long InitSeedOf(ulong seed, string purpose) => (long)(Rng.DeriveSeed(seed, -1, purpose) & long.MaxValue);

    public static ExperimentSetup Build(ExperimentConfig c)
    {
        NativeAllocator.KeepFreedMemoryInProcess();
        var data = DatasetLoader.Load(c.Dataset, c.Seed);
        var partition = Partitioner.Split(data.Train.Labels, data.Train.NumClasses,
            new PartitionSpec(c.Partition.Kind, c.Agents, c.Partition.Alpha, c.Partition.MinSamples, c.Partition.ShardsPerAgent, c.Dataset.PublicFraction)
            {
                Settings = c.Partition.Settings,
            },
            Rng.DeriveSeed(c.Seed, -1, "partition"));
        var topology = BuildTopology(c);
        var (kinds, kindOf) = BuildModelKinds(c, data.Train.SampleShape, data.Train.NumClasses);
        var setup = new ExperimentSetup(c, data, partition, topology, kinds, kindOf);
        c.Algorithm.Descriptor.CheckSetup(setup);
        return setup;
    }

    /// <summary>The run's <c>topology.schedule</c> (server-based methods: the static star of clients around the server).</summary>
    public static ITopologySchedule BuildTopology(ExperimentConfig c)
    {
        (Graph, MixingMatrix) StaticGraph()
        {
            // Server-based methods ignore topology.kind: the clients talk only to the server.
            var graph = c.Algorithm.HasServer ? ServerStar(c.Agents) : TopologyFactory.Create(c.Topology.Kind, c.Agents, new TopologyOptions
            {
                Seed = Rng.DeriveSeed(c.Seed, -1, "topology"),
                Probability = c.Topology.Probability,
                Degree = c.Topology.Degree,
                File = c.Topology.File,
                Settings = c.Topology.Settings,
            });
            return (graph, MixingMatrix.Build(graph, c.Topology.Mixing, c.Topology.Gamma));
        }
        var t = c.Topology;
        return t.Schedule.Create(new ScheduleContext(c.AgentCount, StaticGraph, t.Mixing, t.Gamma, t.Degree, t.Peers, t.SequenceFile,
            Rng.DeriveSeed(c.Seed, -1, "topology-schedule")) { Settings = t.Settings });
    }

    /// <summary>
    /// Each distinct model (by label) once, with its agents, size and initial-weights seed. With one model the seed is
    /// the common <see cref="InitSeed"/>, whichever way the config names it, so such a run is today's run bit for bit;
    /// with several, each kind's seed derives from its label, so a kind's initial weights do not depend on the others.
    /// </summary>
    private static (IReadOnlyList<ModelKind> Kinds, int[] KindOf) BuildModelKinds(ExperimentConfig c, int[] sampleShape, int classes)
    {
        var kindOf = new int[c.AgentCount];
        var labels = new List<string>();
        var members = new List<List<int>>();
        var specs = new List<ModelSpec>();
        for (int id = 0; id < c.AgentCount; id++)
        {
            var m = c.Model.ForAgent(id);
            int k = labels.IndexOf(m.Label);
            if (k < 0)
            {
                k = labels.Count;
                labels.Add(m.Label);
                members.Add([]);
                specs.Add(new ModelSpec(m.Architecture, sampleShape, classes, m.Heads, m.Hidden));
            }
            kindOf[id] = k;
            members[k].Add(id);
        }
        var kinds = new ModelKind[specs.Count];
        for (int k = 0; k < kinds.Length; k++)
        {
            int count, featureDim;
            try
            {
                using var probe = ModelFactory.Create(specs[k], 0);
                count = FlatParameters.CountOf(probe);
                featureDim = probe.FeatureDim;
            }
            catch (InputException e) when (c.Model.PerAgent.Count > 0)
            {
                throw new InputException($"{PerAgentModels.Key}, agents {PerAgentModels.Describe(members[k])}: {e.Message}");
            }
            long seed = kinds.Length == 1 ? InitSeedOf(c.Seed, "model-init") : InitSeedOf(c.Seed, "model-init " + labels[k]);
            kinds[k] = new ModelKind(specs[k], [.. members[k]], count, featureDim, seed);
        }
        return (kinds, kindOf);
    }

    /// <summary>Star over clients 0..N−1 and the server N at its centre.</summary>
    public static Graph ServerStar(int clients) => new(clients + 1, Enumerable.Range(0, clients).Select(k => (k, clients)));

    /// <summary>The server's agent id (= number of clients) for server-based methods; −1 otherwise.</summary>
    public int ServerId => Config.Algorithm.HasServer ? Config.Agents : -1;

    /// <summary>Agent <paramref name="i"/>'s view of the schedule: its row and recipients per round.</summary>
    public AgentLinks Links(int i) => new(Topology, i);

    public LearningRateSchedule Schedule()
    {
        var s = Config.Optimizer.Schedule;
        return new LearningRateSchedule(Config.Optimizer.Lr, s.Kind, s.Milestones, s.Gamma, Config.Rounds, s.WarmupRounds, s.WarmupFrom);
    }

    /// <summary>
    /// Synchronous virtual time: a round costs local-steps × step time, plus, for every message exchange of the round,
    /// one link latency (latency.value) and the transfer time of that exchange's payload. This is exactly the pace of
    /// the asynchronous mode in lock-step (equal compute, constant latency, max-staleness 0).
    /// </summary>
    public double VirtualTimeAfter(int rounds)
    {
        double round = Config.Optimizer.LocalSteps * Config.StepTimeS;
        foreach (long bytes in PayloadBytesPerExchange()) round += Config.LatencyS + bytes / Config.Async.BandwidthBytesPerSecond;
        return rounds * round;
    }

    /// <summary>Bytes of one payload on one link in each exchange of a round (the method's descriptor; empty when nothing is sent).</summary>
    public IReadOnlyList<long> PayloadBytesPerExchange() => Config.Algorithm.Descriptor.ExchangesPerRound(this).Select(e => e.Bytes).ToArray();

    private DevicePlacement? _devices;
    private Func<int, int> _slotOf = id => id;

    /// <summary>This process's devices for <c>experiment.device</c>, resolved at first use.</summary>
    public DevicePlacement Devices => _devices ??= DevicePlacement.ForThisProcess(Config.Device);

    /// <summary>
    /// Where agents will compute in this process: throws <see cref="InputException"/> for <c>cuda</c> on a machine
    /// without a GPU. Called before a run starts wherever agents live (not on a cluster coordinator node, which has none).
    /// </summary>
    public IReadOnlyList<ComputeDevice> CheckAgentDevices() => Devices.AgentDevices;

    /// <summary>
    /// Where agent ids sit among this host's agents (a cluster worker holds only some of them), so that each host
    /// spreads its own agents evenly over its own GPUs. Default: the id itself (one process holds every agent).
    /// Set before the host creates its agents (it only decides which GPU each one gets, never a result on the CPU).
    /// </summary>
    public void UseHostSlots(Func<int, int> slotOf) => _slotOf = slotOf;

    /// <summary>Agent <paramref name="id"/>'s position among this host's agents (see <see cref="UseHostSlots"/>).</summary>
    public int HostSlot(int id) => _slotOf(id);

    /// <summary>The device agent <paramref name="id"/> computes on in this process.</summary>
    public ComputeDevice DeviceOf(int id) => Devices.ForSlot(HostSlot(id));

    public IAgentRuntime CreateAgent(int id) => CreateAgent(id, DeviceOf(id));

    /// <summary>Agent <paramref name="id"/> on a given device (the preflight probe builds agent 0 on the CPU).</summary>
    public IAgentRuntime CreateAgent(int id, ComputeDevice device) =>
        id == ServerId ? Config.Algorithm.Descriptor.CreateServer(this) : AgentRuntime.Create(this, id, device);

    public IParameterEvaluator CreateEvaluator() => new ScratchModelEvaluator(this, Devices.Evaluation);
}
