using System.Text;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd algorithms</c>: every registered method with its one-line description, what it requires, what it sends per
/// round and its own config keys with their defaults — read from the descriptors, so it is never out of date.
/// </summary>
public sealed class AlgorithmsCommand : ICommand
{
    public CommandSpec Spec { get; } = new("algorithms",
        "the registered methods: what each needs, what it sends and which config keys it reads");

    public int Run(ParsedArgs args, TextWriter output)
    {
        foreach (var d in AlgorithmRegistry.All) output.Write(Describe(d));
        return Dkd.ExitOk;
    }

    internal static string Describe(AlgorithmDescriptor d)
    {
        var needs = d.Requirements;
        var facts = new List<string> { $"agents >= {needs.MinAgents}" };
        if (d.HasServer) facts.Add("adds a server agent on a star");
        if (needs.PublicPool) facts.Add("dataset.public-fraction > 0");
        if (needs.MinHeads > 1) facts.Add($"model.heads >= {needs.MinHeads}");
        if (needs.SynchronousRounds) facts.Add("synchronous rounds (max-staleness 0 in async mode)");
        facts.Add(needs.Checkpoints ? needs.AsyncCheckpoints ? "checkpoints" : "checkpoints in sync mode only" : "no checkpoints");
        if (!needs.TimeVaryingTopology) facts.Add("topology.schedule = static");
        if (needs.HeterogeneousModels) facts.Add("accepts model.per-agent");
        var sb = new StringBuilder();
        sb.Append(d.Name).Append(": ").AppendLine(d.Description);
        sb.Append("  needs: ").AppendLine(string.Join("; ", facts));
        sb.Append("  sends (wire tags): ").AppendLine(d.PayloadCodecs.Count == 0 ? "nothing" : string.Join(", ", d.PayloadCodecs.Select(c => c.Tag)));
        if (d.Section is { } s)
        {
            sb.Append("  keys (").Append(s.Path).AppendLine("):");
            foreach (string line in s.Defaults.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
                sb.Append("    ").AppendLine(line.Trim());
        }
        return sb.ToString();
    }
}
