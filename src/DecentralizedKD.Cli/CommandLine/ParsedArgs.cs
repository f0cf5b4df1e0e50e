using System.Globalization;
using DecentralizedKD.Core;

namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// The arguments of one dkd command after parsing: positionals plus named options. Typed getters turn a malformed
/// value into an <see cref="InputException"/> that names the option and what was expected (exit 2, one line).
/// </summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values;
    private readonly HashSet<string> _switches;

    public ParsedArgs(string command, IReadOnlyList<string> positionals, Dictionary<string, List<string>> values, HashSet<string> switches)
    {
        Command = command;
        Positionals = positionals;
        _values = values;
        _switches = switches;
    }

    public string Command { get; }
    public IReadOnlyList<string> Positionals { get; }

    public bool Has(string option) => _values.ContainsKey(option) || _switches.Contains(option);
    public bool Switch(string option) => _switches.Contains(option);
    public IReadOnlyList<string> All(string option) => _values.TryGetValue(option, out var v) ? v : [];

    public string? String(string option) => _values.TryGetValue(option, out var v) ? v[^1] : null;

    public string RequiredString(string option) =>
        String(option) ?? throw new InputException($"dkd {Command}: missing required option --{option}");

    public int Int(string option, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = String(option);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new InputException($"dkd {Command}: --{option} expects an integer, got '{s}'");
        if (v < min || v > max)
            throw new InputException($"dkd {Command}: --{option} must be in [{min}, {max}], got {v}");
        return v;
    }

    public double Double(string option, double fallback)
    {
        string? s = String(option);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new InputException($"dkd {Command}: --{option} expects a number, got '{s}'");
        return v;
    }

    public string Positional(int index, string name) =>
        index < Positionals.Count ? Positionals[index] : throw new InputException($"dkd {Command}: missing argument {name}");

    public void AtMostPositionals(int count)
    {
        if (Positionals.Count > count)
            throw new InputException($"dkd {Command}: unexpected argument '{Positionals[count]}'");
    }
}
