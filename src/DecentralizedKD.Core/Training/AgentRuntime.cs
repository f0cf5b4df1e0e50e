using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Training;

/// <summary>One agent's model, data view, batch stream and algorithm, created on the agent's own compute thread.</summary>
public sealed class AgentRuntime : IAgentRuntime
{
    private readonly ClassifierModel _model;
    private readonly HostProcess _process;
    private readonly RunPlan _plan;

    private AgentRuntime(int id, ClassifierModel model, IAgentAlgorithm algorithm, HostProcess process)
    {
        Id = id;
        _model = model;
        Algorithm = algorithm;
        _process = process;
        _plan = process.Plan;
    }

    public int Id { get; }
    public IAgentAlgorithm Algorithm { get; }

    /// <param name="device">where the agent's model (and its scratch models) compute; its parameters stay CPU spans</param>
    public static AgentRuntime Create(HostProcess process, int id, ComputeDevice device)
    {
        var plan = process.Plan;
        var model = ModelFactory.Create(plan.ModelSpecOf(id), plan.InitSeedFor(id));
        var algorithm = plan.Config.Algorithm.Descriptor.CreateAgent(new AgentContext(process, id, model, device));
        algorithm.UseBufferPool(process.BufferPool);
        if (!process.PayloadsOutliveIteration) algorithm.ReleasePayloadsAfterEachIteration();
        return new AgentRuntime(id, model, algorithm, process);
    }

    public IReadOnlyList<int>? Recipients(int round, int phase) =>
        _plan.Topology.IsStatic ? null : Algorithm.Recipients(round, phase) ?? _plan.Topology.Recipients(Id, round);

    public IReadOnlyList<int>? Senders(int round, int phase) =>
        _plan.Topology.IsStatic ? null : Algorithm.Senders(round, phase) ?? _plan.Topology.Row(Id, round).Neighbours;

    public Memory.FloatBufferPool BufferPool => _process.BufferPool;

    public bool EvaluatedAfter(int completedRounds) => _plan.EvaluationSample.Includes(Id, completedRounds);

    public double EvaluateAccuracy() => ModelEvaluator.Accuracy(_model, _plan.Data.Test, _plan.Config.Dataset.TestSamples);

    public void Dispose()
    {
        Algorithm.Dispose();
        _model.Dispose();
    }
}
