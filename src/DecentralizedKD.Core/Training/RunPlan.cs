using DecentralizedKD.Core.Algorithms;
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
/// What the experiment is, the same in every process of a run and never changed once built: the resolved config, the
/// dataset (one in-memory copy), the partition (index arrays only), the topology schedule, the models, and what
/// follows from them alone (neighbour lists, evaluation sample, initial-weight seeds, learning-rate schedule, virtual
/// time). What one process holds of the run (its buffer pool, devices, agents) is a <see cref="HostProcess"/> over it.
/// Every random choice derives from (experiment seed, agent id, purpose).
/// </summary>
public sealed class RunPlan
{
    private RunPlan(ExperimentConfig config, TrainTestSets data, Partition partition, ITopologySchedule topology, IReadOnlyList<ModelKind> modelKinds, int[] kindOf)
    {
        Config = config;
        Data = data;
        Partition = partition;
        Topology = topology;
        ModelKinds = modelKinds;
        _kindOf = kindOf;
        NeighbourLists = Enumerable.Range(0, config.AgentCount).Select(topology.PossiblePeers).ToArray();
        EvaluationSample = new EvaluationSample(config.Seed, config.Agents, config.EvalSampleAgents);
    }

    public ExperimentConfig Config { get; }

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

    /// <summary>Lengths of the parameter tensors in the flat buffer's order, for methods whose agents all have one model.</summary>
    public IReadOnlyList<int> TensorLengths => Common.TensorLengths;

    public int FeatureDim => Common.FeatureDim;

    private ModelKind Common => ModelKinds.Count == 1 ? ModelKinds[0]
        : throw new InvalidOperationException("agents' models differ (experiment.model.per-agent): ask for one agent's model (ModelKindOf)");

    /// <summary>
    /// Every agent each agent may exchange with in some round: its neighbours under a static schedule, whom its actor
    /// must be able to reach under a time-varying one.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> NeighbourLists { get; }

    /// <summary>Seed of the common initial model (every agent starts from identical weights, as in all reference codes).</summary>
    public long InitSeed => InitSeedOf(Config.Seed, "model-init");

    /// <summary>Seed of agent <paramref name="id"/>'s initial weights: the same for every agent of its model kind.</summary>
    public long InitSeedFor(int id) => ModelKindOf(id).InitSeed;

    private static long InitSeedOf(ulong seed, string purpose) => (long)(Rng.DeriveSeed(seed, -1, purpose) & long.MaxValue);

    /// <summary>Loads the data and builds the partition, topology and models of <paramref name="c"/>, then runs the method's plan checks.</summary>
    public static RunPlan Build(ExperimentConfig c)
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
        var plan = new RunPlan(c, data, partition, topology, kinds, kindOf);
        c.Algorithm.Descriptor.CheckPlan(plan);
        return plan;
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
            int[] tensorLengths;
            try
            {
                using var probe = ModelFactory.Create(specs[k], 0);
                count = FlatParameters.CountOf(probe);
                tensorLengths = FlatParameters.TensorLengthsOf(probe);
                featureDim = probe.FeatureDim;
            }
            catch (InputException e) when (c.Model.PerAgent.Count > 0)
            {
                throw new InputException($"{PerAgentModels.Key}, agents {PerAgentModels.Describe(members[k])}: {e.Message}");
            }
            long seed = kinds.Length == 1 ? InitSeedOf(c.Seed, "model-init") : InitSeedOf(c.Seed, "model-init " + labels[k]);
            kinds[k] = new ModelKind(specs[k], [.. members[k]], count, featureDim, seed, tensorLengths);
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
}
