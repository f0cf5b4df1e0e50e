using System.Globalization;

namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// One option of a dkd command, declared once: the parser accepts it by <see cref="Name"/> and <see cref="Kind"/>, and
/// the help shows it as <c>--name PLACEHOLDER</c> with its description and default.
/// </summary>
/// <param name="Placeholder">What the help writes for the value (<c>R</c>, <c>key=value</c>); null for a switch.</param>
/// <param name="Default">What applies when the option is absent, as the help writes it; null when there is nothing to say.</param>
/// <param name="Required">Required in every usage form that shows it (e.g. <c>--config</c> in <c>dkd host --config C</c>).</param>
public sealed record OptionSpec(string Name, OptionKind Kind, string? Placeholder, string Description, string? Default, bool Required)
{
    public static OptionSpec Value(string name, string placeholder, string description, object? defaultValue = null, bool required = false) =>
        new(name, OptionKind.Value, placeholder, description, Text(defaultValue), required);

    public static OptionSpec Switch(string name, string description) =>
        new(name, OptionKind.Switch, null, description, null, false);

    public static OptionSpec Repeated(string name, string placeholder, string description) =>
        new(name, OptionKind.Repeated, placeholder, description, null, false);

    /// <summary>The option as a usage line shows it, e.g. <c>[--set key=value]...</c>; <paramref name="value"/> replaces the placeholder.</summary>
    public string Synopsis(string? value = null)
    {
        string text = Placeholder is null && value is null ? "--" + Name : $"--{Name} {value ?? Placeholder}";
        if (Required || value is not null) return text;
        return Kind == OptionKind.Repeated ? $"[{text}]..." : $"[{text}]";
    }

    /// <summary>The option as the option list shows it: <c>--name PLACEHOLDER</c>.</summary>
    public string Label => Placeholder is null ? "--" + Name : $"--{Name} {Placeholder}";

    private static string? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
}
