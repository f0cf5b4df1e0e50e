using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Training;

/// <summary>One agent's model, data view, batch stream and algorithm, created on the agent's own compute thread.</summary>
public sealed class AgentRuntime : IAgentRuntime
{
    private readonly ClassifierModel _model;
    private readonly ExperimentSetup _setup;

    private AgentRuntime(int id, ClassifierModel model, IAgentAlgorithm algorithm, ExperimentSetup setup)
    {
        Id = id;
        _model = model;
        Algorithm = algorithm;
        _setup = setup;
    }

    public int Id { get; }
    public IAgentAlgorithm Algorithm { get; }

    /// <param name="device">where the agent's model (and its scratch models) compute; its parameters stay CPU spans</param>
    public static AgentRuntime Create(ExperimentSetup setup, int id, ComputeDevice device)
    {
        var model = ModelFactory.Create(setup.ModelSpecOf(id), setup.InitSeedFor(id));
        var algorithm = setup.Config.Algorithm.Descriptor.CreateAgent(new AgentContext(setup, id, model, device));
        algorithm.UseBufferPool(setup.BufferPool);
        if (!setup.PayloadsOutliveIteration) algorithm.ReleasePayloadsAfterEachIteration();
        return new AgentRuntime(id, model, algorithm, setup);
    }

    public IReadOnlyList<int>? Recipients(int round, int phase) =>
        _setup.Topology.IsStatic ? null : Algorithm.Recipients(round, phase) ?? _setup.Topology.Recipients(Id, round);

    public IReadOnlyList<int>? Senders(int round, int phase) =>
        _setup.Topology.IsStatic ? null : Algorithm.Senders(round, phase) ?? _setup.Topology.Row(Id, round).Neighbours;

    public Memory.FloatBufferPool BufferPool => _setup.BufferPool;

    public bool EvaluatedAfter(int completedRounds) => _setup.EvaluationSample.Includes(Id, completedRounds);

    public double EvaluateAccuracy() => ModelEvaluator.Accuracy(_model, _setup.Data.Test, _setup.Config.Dataset.TestSamples);

    public void Dispose()
    {
        Algorithm.Dispose();
        _model.Dispose();
    }
}
