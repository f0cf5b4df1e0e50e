using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
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
    private ExperimentSetup(ExperimentConfig config, TrainTestSets data, Partition partition, ITopologySchedule topology, ModelSpec modelSpec, int parameterCount, int featureDim)
    {
        Config = config;
        Data = data;
        Partition = partition;
        Topology = topology;
        ModelSpec = modelSpec;
        ParameterCount = parameterCount;
        FeatureDim = featureDim;
        PublicSamples = new PublicSampleCounts(config.AgentCount);
        NeighbourLists = Enumerable.Range(0, config.AgentCount).Select(topology.PossiblePeers).ToArray();
    }

    public ExperimentConfig Config { get; }
    public TrainTestSets Data { get; }
    public Partition Partition { get; }

    /// <summary>Who talks to whom in each round (<c>topology.schedule</c>; the static <c>topology.kind</c> graph by default).</summary>
    public ITopologySchedule Topology { get; }
    public ModelSpec ModelSpec { get; }
    public int ParameterCount { get; }
    public int FeatureDim { get; }

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
    public long InitSeed => (long)(Rng.DeriveSeed(Config.Seed, -1, "model-init") & long.MaxValue);

    public static ExperimentSetup Build(ExperimentConfig c)
    {
        NativeAllocator.KeepFreedMemoryInProcess();
        var data = DatasetLoader.Load(c.Dataset, c.Seed);
        var partition = Partitioner.Split(data.Train.Labels, data.Train.NumClasses,
            new PartitionSpec(c.Partition.Kind, c.Agents, c.Partition.Alpha, c.Partition.MinSamples, c.Partition.ShardsPerAgent, c.Dataset.PublicFraction),
            Rng.DeriveSeed(c.Seed, -1, "partition"));
        var topology = BuildTopology(c);
        var spec = new ModelSpec(c.Model.Name, data.Train.SampleShape, data.Train.NumClasses, c.Model.Heads, c.Model.Hidden);
        int count, featureDim;
        using (var probe = ModelFactory.Create(spec, 0))
        {
            count = FlatParameters.CountOf(probe);
            featureDim = probe.FeatureDim;
        }
        var setup = new ExperimentSetup(c, data, partition, topology, spec, count, featureDim);
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
            });
            return (graph, MixingMatrix.Build(graph, c.Topology.Mixing, c.Topology.Gamma));
        }
        var t = c.Topology;
        return TopologySchedules.Create(t.Schedule, new ScheduleContext(c.AgentCount, StaticGraph, t.Mixing, t.Gamma, t.Degree, t.Peers, t.SequenceFile,
            Rng.DeriveSeed(c.Seed, -1, "topology-schedule")));
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
