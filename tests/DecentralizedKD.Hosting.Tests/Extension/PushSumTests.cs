using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Tests.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Hosting.Tests.Extension;

// The proof that a method is one file: everything from here to the tests below — payload kind, wire codec, algorithm,
// config section, descriptor — is what a researcher writes, and the engine is not edited. The tests register it and
// run it through the synchronous engine, the asynchronous one, a three-ActorSystem cluster and checkpoint/resume.

/// <summary>Push-sum mass: a share of the sender's numerator x and of its weight w.</summary>
public sealed record PushSumPayload(int Round, int Sender, float[] Numerator, double Weight) : Payload(Round, Sender)
{
    public const string KindName = "push-sum";
    public override string Kind => KindName;
    public override long Bytes => 4L * Numerator.Length + 8;
}

/// <summary>Wire form: the numerator as raw float32, then the weight as a float64 — exactly <see cref="PushSumPayload.Bytes"/> of data.</summary>
public sealed class PushSumPayloadCodec : PayloadCodec<PushSumPayload>
{
    public override string Tag => "push-sum";

    protected override void Write(ref WireWriter w, PushSumPayload p)
    {
        w.Floats(p.Numerator);
        w.Double(p.Weight);
    }

    protected override PushSumPayload Read(ref WireReader r, int round, int sender)
    {
        var numerator = r.Floats();
        return new PushSumPayload(round, sender, numerator, r.Double());
    }
}

/// <summary>
/// Stochastic Gradient Push (Assran et al., ICML 2019) on push-sum (Kempe et al., 2003): each agent holds a numerator
/// x and a weight w and trains the de-biased model z = x / w. An iteration takes a gradient step x ← x − η∇F(z), keeps
/// the share <c>self</c> of (x, w) and pushes equal shares of the rest to its neighbours; the new (x, w) is its own
/// share plus every share received. The weights form a column-stochastic matrix, so the agents' mass Σx and Σw is
/// conserved and every z tends to the network average even where the graph is irregular (no doubly-stochastic mixing
/// needed). Each received share is used exactly once, in (round, sender) order, so asynchronous runs stay exact too.
/// </summary>
public sealed class PushSum : IAgentAlgorithm, ICheckpointable, IIterationState
{
    private readonly IGradientSource _source;
    private readonly MixingRow _row;
    private readonly LearningRateSchedule _lr;
    private readonly double _weightDecay;
    private readonly double _self;
    private readonly List<PushSumPayload> _inbox = [];
    private double _weight = 1;
    private PushSumPayload? _share;

    /// <param name="selfShare">the part of (x, w) an agent keeps; NaN = 1/(degree + 1), an equal share for everyone</param>
    /// <param name="weightDecay">folded into the gradient as in D-PSGD (plain SGD otherwise: SGP has no momentum here)</param>
    public PushSum(IGradientSource source, MixingRow row, LearningRateSchedule lr, double weightDecay, double selfShare)
    {
        _source = source;
        _row = row;
        _lr = lr;
        _weightDecay = weightDecay;
        _self = double.IsNaN(selfShare) ? 1.0 / (row.Degree + 1) : selfShare;
    }

    public ReadOnlySpan<float> Parameters => _source.Parameters;
    public double LastLoss { get; private set; }
    public double Weight => _weight;

    public void LocalWork(int round)
    {
        LastLoss = _source.ComputeGradient();
        // x − η∇F(z) with x = w·z; the pushed share of it is (1 − self)/degree.
        var z = _source.Parameters;
        var g = _source.Gradients;
        if (_weightDecay != 0) FlatMath.Axpy((float)_weightDecay, z, g);
        float eta = (float)_lr.At(round);
        double share = _row.Degree == 0 ? 0 : (1 - _self) / _row.Degree;
        var numerator = new float[z.Length];
        for (int k = 0; k < z.Length; k++) numerator[k] = (float)(share * (_weight * z[k] - eta * g[k]));
        _share = new PushSumPayload(round, _row.Self, numerator, share * _weight);
        for (int k = 0; k < z.Length; k++) z[k] = (float)(_self * (_weight * z[k] - eta * g[k]));   // z now holds the kept numerator
        _weight *= _self;
    }

    public Payload? Outgoing(int round, int phase, int neighbour) => _share;

    public int ExpectedPayloads(int round, int phase) => _row.Degree;

    public void Receive(Payload payload) =>
        _inbox.Add(payload as PushSumPayload ?? throw new InvalidOperationException($"agent {_row.Self}: unexpected payload kind {payload.Kind}"));

    public void Combine(int round, int phase)
    {
        var x = _source.Parameters;
        // Summation order fixed by (round, sender), never by arrival: identical results however messages race.
        var shares = _inbox.OrderBy(p => p.Round).ThenBy(p => p.Sender).ToArray();
        _inbox.Clear();
        var sum = new double[x.Length];
        for (int k = 0; k < x.Length; k++) sum[k] = x[k];
        double weight = _weight;
        foreach (var p in shares)
        {
            for (int k = 0; k < x.Length; k++) sum[k] += p.Numerator[k];
            weight += p.Weight;
        }
        _weight = weight;
        for (int k = 0; k < x.Length; k++) x[k] = (float)(sum[k] / weight);   // back to the de-biased z
    }

    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("push-sum");
        ((ICheckpointable)_source).SaveState(w);
        w.Write(_weight);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("push-sum");
        ((ICheckpointable)_source).LoadState(r);
        _weight = r.ReadDouble();
    }

    /// <summary>Mid-iteration: the shares received but not yet summed, this iteration's outgoing share, the loss.</summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteTag("push-sum-iteration");
        w.Write(LastLoss);
        w.Write(_inbox.Count);
        foreach (var p in _inbox) PayloadState.Write(w, p);
        PayloadState.WriteOptional(w, _share);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ExpectTag("push-sum-iteration");
        LastLoss = r.ReadDouble();
        _inbox.Clear();
        for (int n = r.ReadInt32(); n > 0; n--) _inbox.Add((PushSumPayload)PayloadState.Read(r));
        _share = PayloadState.ReadOptional<PushSumPayload>(r);
    }

    public void Dispose() => _source.Dispose();
}

/// <summary><c>algorithm.push-sum { self-share }</c>: NaN = 1/(degree + 1).</summary>
public sealed record PushSumSettings(double SelfShare);

/// <summary>The descriptor: name, section, what it sends and how big, and how to build one agent.</summary>
public sealed class PushSumDescriptor : AlgorithmDescriptor
{
    public override string Name => "push-sum";
    public override string Description => "Stochastic Gradient Push (Assran et al., 2019): push-sum averaging, exact on any graph";

    public override ConfigSection Section { get; } = new("push-sum",
        """
        self-share = -1           # part of (x, w) an agent keeps each round; -1 = 1/(degree + 1)
        """,
        r => new PushSumSettings(r.Double("self-share", -1, 0.999) is var s && s < 0 ? double.NaN : s));

    // Its self share and denominators are the degree of one fixed row: static schedules only.
    public override AlgorithmRequirements Requirements { get; } = new() { TimeVaryingTopology = false };

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [new PushSumPayloadCodec()];

    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan setup) =>
        [new(PushSumPayload.KindName, 4L * setup.ParameterCount + 8)];

    public override void Check(ExperimentConfig config)
    {
        if (config.Algorithm.Settings<PushSumSettings>().SelfShare == 0)
            throw new InputException("experiment.algorithm.push-sum.self-share = 0: an agent must keep part of its mass (> 0), or -1 for 1/(degree + 1)");
    }

    public override IAgentAlgorithm CreateAgent(AgentContext a) =>
        new PushSum(a.CrossEntropySource(), a.Links.RowAt(0), a.Lr, a.Config.Optimizer.WeightDecay, a.Settings<PushSumSettings>().SelfShare);
}

[Collection("engine")]
public sealed class PushSumTests : IDisposable
{
    static PushSumTests() => AlgorithmRegistry.Register(new PushSumDescriptor());

    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-push-sum-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // A star is irregular: the hub keeps 1/4 of its mass and pushes 1/4 to each leaf, a leaf keeps 1/2, so the weights w move.
    private static readonly string[] Star = [.. TinySync.Sets, "algorithm.name=push-sum", "agents=4", "topology.kind=star", "rounds=6", "eval-every=3"];

    /// <summary>Parameters that only move by mixing: ∇F = 0 and distinct starting points.</summary>
    private sealed class Still(float[] start) : IGradientSource
    {
        private readonly float[] _g = new float[start.Length];
        public Span<float> Parameters => start;
        public Span<float> Gradients => _g;
        public double ComputeGradient() => 0;
        public void Dispose() { }
    }

    [Fact]
    public void On_an_irregular_graph_every_agent_reaches_the_exact_average()
    {
        // Path 0 – 1 – 2: degrees 1, 2, 1, so uniform column shares are not doubly stochastic and plain gossip would be biased.
        int[][] neighbours = [[1], [0, 2], [1]];
        var agents = neighbours.Select((n, i) => new PushSum(new Still([i == 0 ? 9f : 0f, 3f * i]), new MixingRow(i, 0, n, n.Select(_ => 0.0).ToArray()),
            new LearningRateSchedule(0.1), 0, double.NaN)).ToArray();
        for (int r = 0; r < 200; r++)
        {
            foreach (var a in agents) a.LocalWork(r);
            for (int i = 0; i < 3; i++)
                foreach (int j in neighbours[i]) agents[j].Receive(agents[i].Outgoing(r, 0, j)!);
            foreach (var a in agents) a.Combine(r, 0);
        }
        foreach (var a in agents)
        {
            Assert.Equal(3.0, a.Parameters[0], 4);   // (9 + 0 + 0) / 3
            Assert.Equal(3.0, a.Parameters[1], 4);   // (0 + 3 + 6) / 3
        }
        Assert.Equal(3.0, agents.Sum(a => a.Weight), 9);   // mass is conserved
        Assert.NotEqual(agents[0].Weight, agents[1].Weight, 3);
    }

    [Fact]
    public void Its_own_config_section_is_read_checked_and_listed_only_when_it_runs()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Star, "algorithm.push-sum.self-share=0.5"]);
        Assert.Equal(0.5, loaded.Config.Algorithm.Settings<PushSumSettings>().SelfShare);
        Assert.Contains("experiment.algorithm.push-sum.self-share = \"0.5\"", loaded.ResolvedText);
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Star, "algorithm.push-sum.self-share=0"]));
        Assert.StartsWith("experiment.algorithm.push-sum.self-share = 0: an agent must keep part of its mass", e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Star, "algorithm.push-sum.self-share=2"]));
        Assert.Equal("experiment.algorithm.push-sum.self-share = 2: expected a number in [-1, 0.999]", e.Message);
        // A run of another method keeps the resolved config it had before push-sum was registered.
        Assert.DoesNotContain("push-sum", ExperimentConfigLoader.Load(null, TinySync.Sets).ResolvedText);
    }

    [Fact]
    public void Runs_in_the_synchronous_engine_with_exact_bytes_and_equal_on_one_and_two_threads()
    {
        var one = LocalRun.Run(TinySync.Setup([.. Star, "threads=1"]));
        var two = LocalRun.Run(TinySync.Setup([.. Star, "threads=2"]));
        Assert.Null(one.Error);
        Assert.Equal(Deterministic(one.Metrics), Deterministic(two.Metrics));
        var setup = TinySync.Setup(Star);
        // 6 rounds × 6 directed star links × (4 bytes per parameter + the 8-byte weight).
        Assert.Equal(6L * 6 * (4L * setup.Plan.ParameterCount + 8), one.BytesByKind[PushSumPayload.KindName]);
        Assert.Equal(one.BytesByKind[PushSumPayload.KindName], one.Metrics[^1].BytesSent);
    }

    [Fact]
    public void On_a_regular_graph_it_is_plain_d_psgd()
    {
        // A ring keeps every weight at 1 with equal shares, so push-sum is D-PSGD without momentum: the same numbers up
        // to float rounding (push-sum sums in double, in another order).
        string[] ring = [.. TinySync.Sets, "agents=4", "topology.kind=ring", "rounds=6", "eval-every=2", "optimizer.momentum=0", "threads=1"];
        var pushSum = LocalRun.Run(TinySync.Setup([.. ring, "algorithm.name=push-sum"]));
        var dpsgd = LocalRun.Run(TinySync.Setup([.. ring, "algorithm.name=dpsgd"]));
        Assert.Equal(dpsgd.Metrics.Count, pushSum.Metrics.Count);
        for (int k = 0; k < dpsgd.Metrics.Count; k++)
        {
            Assert.Equal(dpsgd.Metrics[k].TrainLoss, pushSum.Metrics[k].TrainLoss, tolerance: 1e-5);
            Assert.Equal(dpsgd.Metrics[k].ConsensusDistance, pushSum.Metrics[k].ConsensusDistance, tolerance: 1e-6);
        }
        for (int i = 0; i < 4; i++)
        for (int k = 0; k < dpsgd.FinalAgentParameters[i]!.Length; k++)
            Assert.Equal(dpsgd.FinalAgentParameters[i]![k], (double)pushSum.FinalAgentParameters[i]![k], tolerance: 1e-5);
    }

    [Fact]
    public void Runs_in_the_asynchronous_engine_and_resumes_from_a_mid_run_checkpoint_exactly()
    {
        // Random latencies, drops (lost mass: the weights account for it), stragglers, churn and staleness waits.
        string[] sets = [.. Star, "mode=async", "rounds=12", "eval-every=4", "checkpoint.every=3",
            "network.latency.dist=lognormal", "network.latency.median=15ms", "network.latency.sigma=0.8", "network.drop=0.1",
            "network.max-staleness=1", "network.wait-timeout=30ms", "compute.stragglers.fraction=0.25", "compute.stragglers.slowdown=3",
            "churn.kind=bernoulli", "churn.p-offline=0.15", "churn.period=60ms"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var setup = HostProcess.Build(loaded.Config);
        CheckpointSupport.Verify(setup);
        string referenceEvents = Path.Combine(_dir, "reference.jsonl"), events = Path.Combine(_dir, "events.jsonl");
        RunResult reference;
        using (var log = new EventsJsonl(referenceEvents)) reference = LocalRun.Run(setup, asyncObserver: log);
        Assert.Null(reference.Error);
        Assert.True(reference.Async!.Dropped > 0, "the run should lose some shares");

        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        using (var log = new EventsJsonl(events))
            Assert.Equal("halted after the checkpoint of round 6",
                LocalRun.Run(setup, asyncObserver: log, checkpoints: new RunCheckpoints(_dir, loaded.Config, hash) { HaltAfter = 6 }).Error);
        var checkpoints = new RunCheckpoints(_dir, loaded.Config, hash);
        var state = checkpoints.OpenAsync();
        RunResult resumed;
        using (var log = EventsJsonl.Continue(events, state.EventsBytes))
            resumed = LocalRun.Run(HostProcess.Build(loaded.Config), asyncObserver: log, checkpoints: checkpoints, resumeFrom: state);
        Assert.Null(resumed.Error);
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
        Assert.Equal(File.ReadAllBytes(referenceEvents), File.ReadAllBytes(events));
        Assert.Equal(reference.FinalAgentParameters, resumed.FinalAgentParameters);
    }

    [Fact]
    public void A_synchronous_run_halted_and_resumed_equals_the_uninterrupted_one()
    {
        string[] sets = [.. Star, "rounds=8", "eval-every=4", "checkpoint.every=3"];
        var loaded = ExperimentConfigLoader.Load(null, sets);
        var setup = HostProcess.Build(loaded.Config);
        var reference = LocalRun.Run(setup);
        string hash = CheckpointFormat.ConfigHash(loaded.ResolvedText);
        Assert.Equal("halted after the checkpoint of round 3", LocalRun.Run(setup, checkpoints: new RunCheckpoints(_dir, loaded.Config, hash) { HaltAfter = 3 }).Error);
        var checkpoints = new RunCheckpoints(_dir, loaded.Config, hash);
        var resumed = LocalRun.Run(setup, checkpoints: checkpoints, resumeFrom: checkpoints.Open());
        Assert.Equal(Deterministic(reference.Metrics), Deterministic(resumed.Metrics));
        Assert.Equal(reference.FinalAgentAccuracies, resumed.FinalAgentAccuracies);
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task Three_actor_systems_give_the_single_process_metrics_bit_for_bit()
    {
        var loaded = ExperimentConfigLoader.Load(null, [.. Star, "threads=1", "cluster.workers=2", "cluster.chunk-size=4KB"]);
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);
        await using var running = InProcessCluster.Start(loaded, setup,
            workerSetups: [HostProcess.Build(loaded.Config), HostProcess.Build(loaded.Config)]);
        var cluster = (await running.Result(90)).Run;
        Assert.Null(cluster.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(cluster.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, cluster.FinalAgentAccuracies);
    }
}
