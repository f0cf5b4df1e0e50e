using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// What FedAvg and FedDKD share: clients 0..N−1 hold the data; the server, agent N, holds none, sits at the centre
/// of a star (topology.kind is unused) and is evaluated like any agent by loading its model into a scratch network.
/// A round is <see cref="FedDkdSchedule"/>'s 2S + 2 exchanges; FedAvg is S = 0. Both read <c>algorithm.feddkd</c>.
/// </summary>
public abstract class FederatedDescriptor : AlgorithmDescriptor
{
    /// <summary>S, the server's distillation steps per round.</summary>
    protected abstract int DistillationSteps(Config.ExperimentConfig config);

    public FedDkdSchedule Schedule(Config.ExperimentConfig config) => new(DistillationSteps(config));

    public override bool HasServer => true;

    // The server's round is a barrier of its own: clients may not run ahead of it.
    public override AlgorithmRequirements Requirements { get; } = new() { MinAgents = 1, SynchronousRounds = true, AsyncCheckpoints = false, TimeVaryingTopology = false };

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [ParameterPayloadCodec.Instance, GradientPayloadCodec.Instance];

    /// <summary>Uploads and broadcasts of models, and in between S rounds of student down, distillation gradient up.</summary>
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan)
    {
        long bytes = 4L * plan.ParameterCount;
        var schedule = Schedule(plan.Config);
        return Enumerable.Range(0, schedule.Phases)
            .Select(p => new PayloadExchange(FedDkdSchedule.IsGradientUp(p) ? GradientPayload.KindName : ParameterPayload.KindName, bytes))
            .ToArray();
    }

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var plan = a.Plan;
        var c = a.Config;
        var kd = a.Settings<FedDkdConfig>();
        var source = a.CrossEntropySource();
        var distillation = new DistillationGradient(a.Model, ModelFactory.Create(plan.ModelSpec, plan.InitSeed), plan.Data.Train,
            plan.Partition.AgentIndices[a.Id], c.Optimizer.BatchSize, kd.KdBatches, kd.Temperature, Rng.DeriveSeed(c.Seed, a.Id, "kd-batches"), a.Device);
        return new FedDkdClient(a.Id, plan.ServerId, source, distillation, a.Sgd, a.Lr, c.Optimizer.LocalSteps, Schedule(c));
    }

    public override IAgentRuntime CreateServer(HostProcess process)
    {
        var plan = process.Plan;
        float[] initial;
        using (var model = ModelFactory.Create(plan.ModelSpec, plan.InitSeed))
        using (var flat = new FlatParameters(model))
            initial = flat.AsSpan().ToArray();
        var samples = plan.Partition.AgentIndices.Select(a => a.Length).ToArray();
        var c = plan.Config;
        var server = new FedDkdServer(plan.ServerId, initial, samples, c.Algorithm.Settings<FedDkdConfig>().Lr, Schedule(c));
        return new ServerRuntime(plan.ServerId, server, process.CreateEvaluator());
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
