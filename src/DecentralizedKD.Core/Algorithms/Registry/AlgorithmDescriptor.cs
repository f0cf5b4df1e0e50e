using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// Everything the engine needs to know about one method, in one class next to the method: its name, its config
/// section, whether it adds a server agent, what it sends and how big that is, what it requires, and how to build one
/// agent's <see cref="IAgentAlgorithm"/>. The engine never names a method: summaries, byte accounting, validation and
/// agent creation ask the descriptor. A new method is this class plus one line in <see cref="AlgorithmRegistry"/>.
/// </summary>
public abstract class AlgorithmDescriptor : PluginDescriptor
{
    public virtual AlgorithmRequirements Requirements { get; } = new();

    /// <summary>What it needs (its <see cref="Requirements"/>) and what it sends, for <c>dkd list algorithms</c>.</summary>
    public override IReadOnlyList<string> Facts
    {
        get
        {
            var needs = Requirements;
            var facts = new List<string> { $"agents >= {needs.MinAgents}" };
            if (HasServer) facts.Add("adds a server agent on a star");
            if (needs.PublicPool) facts.Add("dataset.public-fraction > 0");
            if (needs.MinHeads > 1) facts.Add($"model.heads >= {needs.MinHeads}");
            if (needs.FeatureLayer) facts.Add("a model with a feature layer");
            if (needs.SynchronousRounds) facts.Add("synchronous rounds (max-staleness 0 in async mode)");
            facts.Add(needs.Checkpoints ? needs.AsyncCheckpoints ? "checkpoints" : "checkpoints in sync mode only" : "no checkpoints");
            if (!needs.TimeVaryingTopology) facts.Add("topology.schedule = static");
            if (needs.HeterogeneousModels) facts.Add("accepts model.per-agent");
            facts.Add("sends (wire tags): " + (PayloadCodecs.Count == 0 ? "nothing" : string.Join(", ", PayloadCodecs.Select(c => c.Tag))));
            return facts;
        }
    }

    /// <summary>Whether the method runs a server agent (id = number of clients) on a star; topology.kind is then unused.</summary>
    public virtual bool HasServer => false;

    /// <summary>Wire codecs of the payload kinds the method sends (registered with it; shared kinds may repeat).</summary>
    public virtual IReadOnlyList<IPayloadCodec> PayloadCodecs => [ParameterPayloadCodec.Instance];

    /// <summary>
    /// The exchanges of one round (phases, in order) and the payload each agent sends per link in each: drives
    /// synchronous virtual time. Default: one exchange of the full parameter vector.
    /// </summary>
    public virtual IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan) =>
        [new(ParameterPayload.KindName, 4L * plan.ParameterCount)];

    /// <summary>Checks across the method's own keys and the rest of the config (no data loaded yet).</summary>
    public virtual void Check(ExperimentConfig config) { }

    /// <summary>Checks that need the loaded data, partition or model (e.g. a batch larger than the public pool).</summary>
    public virtual void CheckPlan(RunPlan plan) { }

    /// <summary>Builds agent <see cref="AgentContext.Id"/>'s algorithm on its own compute thread.</summary>
    public abstract IAgentAlgorithm CreateAgent(AgentContext context);

    /// <summary>The server agent of a method with <see cref="HasServer"/>.</summary>
    public virtual IAgentRuntime CreateServer(HostProcess process) =>
        throw new InvalidOperationException($"algorithm '{Name}' has no server agent");

    /// <summary>Shown after the name in summary.md's algorithm line, e.g. "variant ema"; null for nothing.</summary>
    public virtual string? SummaryVariant(ExperimentConfig config) => null;

    /// <summary>Appended to summary.md's agents line (server methods: their round structure).</summary>
    public virtual string SummaryDetails(ExperimentConfig config) => "";

    /// <summary>An extra section of summary.md after the run, or "" (markdown, starting with a blank line).</summary>
    public virtual string Report(HostProcess process) => "";

    /// <summary>Extra agents.csv columns, filled after the run.</summary>
    public virtual IReadOnlyList<AgentColumn> AgentColumns(HostProcess process) => [];
}
