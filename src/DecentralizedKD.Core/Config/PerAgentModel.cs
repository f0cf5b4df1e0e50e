namespace DecentralizedKD.Core.Config;

/// <summary>
/// One entry of <c>experiment.model.per-agent</c>: the agents as written (<c>"0-7"</c>, <c>"0-3,8"</c>), their ids in
/// ascending order, and their model (name, heads and hidden widths, the unset ones taken from <c>experiment.model</c>).
/// </summary>
public sealed record PerAgentModel(string Agents, int[] Ids, ModelConfig Model)
{
    public bool Contains(int id) => Array.BinarySearch(Ids, id) >= 0;
}
