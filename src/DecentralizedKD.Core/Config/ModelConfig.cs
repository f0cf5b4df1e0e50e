using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Config;

/// <summary>
/// <c>experiment.model</c>: the model of every agent, unless <see cref="PerAgent"/> assigns models to agents by id
/// (each entry's unset heads and hidden widths come from this one).
/// </summary>
public sealed record ModelConfig(ModelDescriptor Architecture, int Heads, int[] Hidden)
{
    /// <summary>The value of <c>model.name</c>.</summary>
    public string Name => Architecture.Name;

    /// <summary>
    /// <c>experiment.model.per-agent</c>: which model each agent has, every learner in exactly one entry; empty = all
    /// agents have this model. Checked when the config is read (see <see cref="PerAgentModels"/>).
    /// </summary>
    public IReadOnlyList<PerAgentModel> PerAgent { get; init; } = [];

    /// <summary>The model of agent <paramref name="id"/>; an id no entry lists (a server agent) has this one.</summary>
    public ModelConfig ForAgent(int id)
    {
        foreach (var entry in PerAgent)
            if (entry.Contains(id)) return entry.Model;
        return PerAgent.Count == 0 ? this : this with { PerAgent = [] };
    }

    /// <summary>
    /// Whether agents have different models (labels differ): then no averaged model exists, parameter vectors of two
    /// agents cannot be combined, and only methods that exchange no parameters may run.
    /// </summary>
    public bool Heterogeneous => PerAgent.Select(p => p.Model.Label).Distinct(StringComparer.Ordinal).Count() > 1;

    /// <summary>The model kind's name (see <see cref="ModelSpec.LabelOf"/>).</summary>
    public string Label => ModelSpec.LabelOf(Architecture, Heads, Hidden);

    /// <summary>Every model of the run with the agents that have it, as configured: this one alone when <see cref="PerAgent"/> is empty.</summary>
    public IEnumerable<(string Agents, ModelConfig Model)> Assignments =>
        PerAgent.Count == 0 ? [("all", this)] : PerAgent.Select(p => (p.Agents, p.Model));
}
