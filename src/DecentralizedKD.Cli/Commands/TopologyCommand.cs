using System.Globalization;
using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core.Topology;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd topology KIND --agents N</c>: degree statistics, checks and spectral gap of a topology.</summary>
public sealed class TopologyCommand : ICommand
{
    public string Name => "topology";
    public string Usage => "topology KIND --agents N [--mixing uniform|mh] [--gamma G] [--seed S] [--probability P] [--degree D] [--file F] [--json]";

    public IReadOnlyDictionary<string, OptionKind> Options { get; } = new Dictionary<string, OptionKind>
    {
        ["agents"] = OptionKind.Value,
        ["mixing"] = OptionKind.Value,
        ["gamma"] = OptionKind.Value,
        ["seed"] = OptionKind.Value,
        ["probability"] = OptionKind.Value,
        ["degree"] = OptionKind.Value,
        ["file"] = OptionKind.Value,
        ["json"] = OptionKind.Switch,
    };

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(1);
        string kind = args.Positional(0, "KIND (" + string.Join(" | ", TopologyFactory.Kinds) + ")");
        string? file = args.String("file");
        int agents = kind == "file" && !args.Has("agents") && file is not null
            ? EdgeListFile.Read(file).Nodes
            : args.Int("agents", kind is "social32" or "dyck32" ? 32 : 16, 1, 100_000);
        var options = new TopologyOptions
        {
            Seed = (ulong)args.Int("seed", 0, 0),
            Probability = args.Double("probability", 0.2),
            Degree = args.Int("degree", 4, 1),
            File = file ?? "",
        };
        var graph = TopologyFactory.Create(kind, agents, options);
        var mixing = MixingMatrix.Build(graph, MixingMatrix.ParseKind(args.String("mixing") ?? "uniform"), args.Double("gamma", 1.0));
        var s = TopologyChecks.Summarize(graph, mixing);
        if (args.Switch("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(s, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return Dkd.ExitOk;
        }
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"topology          {kind} ({args.String("mixing") ?? "uniform"} weights, γ = {args.Double("gamma", 1.0).ToString(inv)})");
        output.WriteLine($"agents            {s.Agents}");
        output.WriteLine($"edges             {s.Edges}");
        output.WriteLine($"degree            min {s.MinDegree}, max {s.MaxDegree}");
        output.WriteLine($"connected         {s.Connected}");
        output.WriteLine($"symmetric         {s.Symmetric}");
        output.WriteLine($"doubly stochastic {s.DoublyStochastic}");
        output.WriteLine($"spectral gap      {s.SpectralGap.ToString("G6", inv)}");
        return Dkd.ExitOk;
    }
}
