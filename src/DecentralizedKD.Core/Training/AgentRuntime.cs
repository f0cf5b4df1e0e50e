using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;

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
        var c = setup.Config;
        var model = ModelFactory.Create(setup.ModelSpec, setup.InitSeed);
        var sampler = new BatchSampler(setup.Partition.AgentIndices[id], c.Optimizer.BatchSize, Rng.DeriveSeed(c.Seed, id, "batches"));
        // Built only for the methods that train with plain cross-entropy (it binds the model's flat views).
        IGradientSource Source() => new ModelGradientSource(model, new FlatParameters(model, device), setup.Data.Train, sampler, c.Optimizer.BatchSize);
        var sgd = new SgdSettings(c.Optimizer.Momentum, c.Optimizer.Nesterov, c.Optimizer.WeightDecay);
        var row = setup.Row(id);
        var lr = setup.Schedule();
        IAgentAlgorithm algorithm = c.Algorithm.Name switch
        {
            "local" => new LocalOnly(Source(), row, sgd, lr, c.Optimizer.LocalSteps),
            "dpsgd" => new Dpsgd(Source(), row, sgd, lr, c.Optimizer.LocalSteps),
            "qgm" => new Qgm(Source(), row, sgd, lr, c.Optimizer.LocalSteps,
                c.Algorithm.QgmVariant == "ccl" ? QgmVariant.Ccl : QgmVariant.Ema,
                c.Algorithm.QgmMu < 0 ? double.NaN : c.Algorithm.QgmMu),
            "ccl" => CreateCcl(setup, model, sampler, sgd, row, lr, device),
            "fedavg" or "feddkd" => FedDkdAgents.Client(setup, id, model, Source(), sgd, lr, device),
            "mhd" => MhdAgent.Create(setup, id, model, sampler, sgd, lr, device),
            "idkd" => IdkdAgentFactory.Create(setup, id, model, row, sgd, lr, device),
            _ => throw new InputException($"experiment.algorithm.name = '{c.Algorithm.Name}' is not available in this build"),
        };
        return new AgentRuntime(id, model, algorithm, setup);
    }

    private static Ccl CreateCcl(ExperimentSetup setup, ClassifierModel model, BatchSampler sampler, SgdSettings sgd, MixingRow row,
        LearningRateSchedule lr, ComputeDevice device)
    {
        var c = setup.Config;
        var scratch = ModelFactory.Create(setup.ModelSpec, setup.InitSeed);
        var learner = new CrossFeatureLearner(model, scratch, setup.Data.Train, sampler, c.Optimizer.BatchSize, c.Algorithm.Ccl, device);
        return new Ccl(learner, row, sgd, lr, c.Algorithm.Ccl.Qgm);
    }

    public double EvaluateAccuracy() => ModelEvaluator.Accuracy(_model, _setup.Data.Test, _setup.Config.Dataset.TestSamples);

    public void Dispose()
    {
        Algorithm.Dispose();
        _model.Dispose();
    }
}
