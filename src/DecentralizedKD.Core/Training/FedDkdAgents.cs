using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Builds FedAvg/FedDKD agents (ALGORITHMS.md §5): clients 0..N−1 hold the data; the server, agent N, holds none
/// and is evaluated like any agent by loading its model into a scratch network.
/// </summary>
public static class FedDkdAgents
{
    public static IAgentAlgorithm Client(ExperimentSetup setup, int id, ClassifierModel model, IGradientSource source,
        SgdSettings sgd, LearningRateSchedule lr, ComputeDevice device)
    {
        var c = setup.Config;
        var kd = c.Algorithm.FedDkd;
        var distillation = new DistillationGradient(model, ModelFactory.Create(setup.ModelSpec, setup.InitSeed), setup.Data.Train,
            setup.Partition.AgentIndices[id], c.Optimizer.BatchSize, kd.KdBatches, kd.Temperature, Rng.DeriveSeed(c.Seed, id, "kd-batches"), device);
        return new FedDkdClient(id, setup.ServerId, source, distillation, sgd, lr, c.Optimizer.LocalSteps, FedDkdSchedule.For(c.Algorithm));
    }

    public static IAgentRuntime Server(ExperimentSetup setup)
    {
        float[] initial;
        using (var model = ModelFactory.Create(setup.ModelSpec, setup.InitSeed))
        using (var flat = new FlatParameters(model))
            initial = flat.AsSpan().ToArray();
        var samples = setup.Partition.AgentIndices.Select(a => a.Length).ToArray();
        var c = setup.Config;
        var server = new FedDkdServer(setup.ServerId, initial, samples, c.Algorithm.FedDkd.Lr, FedDkdSchedule.For(c.Algorithm));
        return new ServerRuntime(setup.ServerId, server, setup.CreateEvaluator());
    }

    /// <summary>An agent with no model of its own: accuracy is that of its parameters in a scratch model.</summary>
    private sealed class ServerRuntime(int id, IAgentAlgorithm algorithm, IParameterEvaluator evaluator) : IAgentRuntime
    {
        public int Id => id;
        public IAgentAlgorithm Algorithm => algorithm;
        public double EvaluateAccuracy() => evaluator.Accuracy(algorithm.Parameters);

        public void Dispose()
        {
            algorithm.Dispose();
            evaluator.Dispose();
        }
    }
}
