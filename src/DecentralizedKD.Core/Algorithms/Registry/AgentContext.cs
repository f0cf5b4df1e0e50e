using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// What a descriptor gets to build one agent's algorithm, on the agent's own compute thread: the run's plan and this
/// process (its buffer pool and per-run report objects), the
/// agent's model (already initialised to the common weights), its batch stream, links (mixing row per round), optimizer settings,
/// learning-rate schedule and device. Every random stream derives from (experiment seed, agent id, purpose).
/// </summary>
public sealed class AgentContext
{
    internal AgentContext(HostProcess process, int id, ClassifierModel model, ComputeDevice device)
    {
        Process = process;
        var plan = process.Plan;
        Id = id;
        Model = model;
        Device = device;
        var c = plan.Config;
        Sampler = new BatchSampler(plan.Partition.AgentIndices[id], c.Optimizer.BatchSize, Rng.DeriveSeed(c.Seed, id, "batches"));
        Sgd = new SgdSettings(c.Optimizer.Momentum, c.Optimizer.Nesterov, c.Optimizer.WeightDecay);
        Links = plan.Links(id);
        Lr = plan.Schedule();
    }

    /// <summary>What the experiment is: data, partition, models, topology.</summary>
    public RunPlan Plan => Process.Plan;

    /// <summary>The process the agent lives in: its per-run report objects and evaluator factory.</summary>
    public HostProcess Process { get; }

    public ExperimentConfig Config => Plan.Config;
    public int Id { get; }
    public ClassifierModel Model { get; }
    public ComputeDevice Device { get; }
    public BatchSampler Sampler { get; }
    public SgdSettings Sgd { get; }
    /// <summary>The agent's row and recipients per round (<c>topology.schedule</c>).</summary>
    public AgentLinks Links { get; }
    public LearningRateSchedule Lr { get; }
    public int LocalSteps => Config.Optimizer.LocalSteps;

    /// <summary>The typed settings of a method's section (see <see cref="AlgorithmConfig.Settings{T}"/>).</summary>
    public T Settings<T>() where T : class => Config.Algorithm.Settings<T>();

    /// <summary>
    /// Plain cross-entropy on the agent's own batches, bound to the model's flat parameter and gradient views. Made
    /// on demand: a method that trains another way must not bind the views first.
    /// </summary>
    public IGradientSource CrossEntropySource() =>
        new ModelGradientSource(Model, new FlatParameters(Model, Device), Plan.Data.Train, Sampler, Config.Optimizer.BatchSize);
}
