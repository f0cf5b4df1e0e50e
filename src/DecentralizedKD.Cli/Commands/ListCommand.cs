using System.Text;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd list [KIND]</c>: the registered plug-ins of every kind (methods, models, datasets, partitioners, topology
/// kinds, schedules) and the compressors, each with its one-line description, what it needs and offers, and its own
/// config keys with their defaults — read from the registries, so it is never out of date and lists plug-ins
/// registered from outside the engine too.
/// </summary>
public sealed class ListCommand : ICommand
{
    private const string Compressors = "compressors";

    public CommandSpec Spec { get; } = new("list",
        "the registered plug-ins: every kind's names, or one kind's descriptions, needs and config keys",
        arguments: [new("KIND", "one of " + string.Join(", ", Kinds), Required: false)]);

    private static IEnumerable<string> Kinds => PluginCatalog.Registries.Select(r => r.ListName).Append(Compressors);

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(1);
        if (args.Positionals.Count == 0)
        {
            foreach (var r in PluginCatalog.Registries) output.WriteLine($"{r.ListName} ({r.Key}): {string.Join(", ", r.Plugins.Select(p => p.Name))}");
            output.WriteLine($"{Compressors} (experiment.algorithm.<method>.compressor): {string.Join(", ", CompressorRegistry.Names)}");
            return Dkd.ExitOk;
        }
        string kind = args.Positionals[0];
        if (kind == Compressors)
        {
            foreach (var (name, description) in CompressorRegistry.Descriptions) output.WriteLine($"{name}: {description}");
            return Dkd.ExitOk;
        }
        var registry = PluginCatalog.Registries.FirstOrDefault(r => r.ListName == kind)
            ?? throw new InputException($"dkd list: '{kind}' is not one of {string.Join(" | ", Kinds)}");
        foreach (var plugin in registry.Plugins) output.Write(Describe(plugin));
        return Dkd.ExitOk;
    }

    internal static string Describe(IPlugin plugin)
    {
        var sb = new StringBuilder();
        sb.Append(plugin.Name).Append(": ").AppendLine(plugin.Description);
        if (plugin.Facts.Count > 0) sb.Append("  ").AppendLine(string.Join("; ", plugin.Facts));
        if (plugin.Section is { } s)
        {
            sb.Append("  keys (").Append(s.Path).AppendLine("):");
            foreach (string line in s.Defaults.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
                sb.Append("    ").AppendLine(line.Trim());
        }
        return sb.ToString();
    }
}
