using Akka.Configuration;
using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 1: the defaults (the embedded <c>hocon/defaults.conf</c> plus every registered method's own section), the
/// experiment file and each <c>--set key=value</c> parse as HOCON, with balanced brackets and no <c>include</c>.
/// </summary>
public sealed class SyntaxStage : IValidationStage
{
    private const string Root = "experiment";

    public static string DefaultsText { get; } = EmbeddedText.Read("DecentralizedKD.defaults.conf");

    public string Name => "syntax";

    public void Run(ValidationContext context)
    {
        context.Defaults = Defaults();
        if (context.File is { } file)
        {
            if (!File.Exists(file)) throw new InputException($"config file '{file}' not found");
            context.Layers.Add((Parse(File.ReadAllText(file), file), file));
        }
        foreach (string assignment in context.Overrides)
        {
            int eq = assignment.IndexOf('=');
            if (eq <= 0) throw new InputException($"--set '{assignment}': expected key=value");
            string key = assignment[..eq].Trim();
            string value = assignment[(eq + 1)..].Trim();
            if (!key.StartsWith(Root + ".", StringComparison.Ordinal)) key = Root + "." + key;
            context.Layers.Add((Parse($"{key} = {QuoteIfNeeded(value)}", $"--set {assignment}"), "--set"));
        }
    }

    /// <summary>defaults.conf with the sections of every registered plug-in (read now: a test may register one late).</summary>
    internal static HoconConfig Defaults()
    {
        var defaults = Parse(DefaultsText, "defaults.conf");
        foreach (var (registry, plugin) in PluginCatalog.All)
        {
            if (plugin.Section is not { } section) continue;
            var text = $"{section.Path} {{\n{section.Defaults}\n}}";
            defaults = Parse(text, $"the defaults of {registry.Kind} '{plugin.Name}'").WithFallback(defaults);
        }
        return defaults;
    }

    internal static HoconConfig Parse(string text, string source)
    {
        HoconBrackets.Check(text, source);
        HoconIncludes.Refuse(text, source);
        try { return ConfigurationFactory.ParseString(text); }
        catch (Exception e) { throw new InputException($"{source}: not valid HOCON ({e.Message.Split('\n')[0].Trim()})"); }
    }

    /// <summary>Quote a bare --set value that HOCON would otherwise misread (paths with slashes, colons).</summary>
    private static string QuoteIfNeeded(string value)
    {
        if (value.Length == 0) return "\"\"";
        if (value[0] is '"' or '[' or '{') return value;
        bool plain = value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+');
        return plain ? value : HoconText.Quote(value);
    }
}
