using DecentralizedKD.Core;
using DecentralizedKD.Core.Text;

namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// A deliberately small parser: <c>--name value</c>, <c>--name=value</c> and switches. We do not use a framework
/// here because every malformed argument must end in exactly one line naming the problem (exit 2), and an unknown
/// option must name the nearest known one. What it accepts is the command's <see cref="CommandSpec"/>, the same table
/// the help is printed from.
/// </summary>
public static class ArgParser
{
    public static ParsedArgs Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        string command = spec.Name;
        var options = spec.OptionKinds;
        var positionals = new List<string>();
        var values = new Dictionary<string, List<string>>();
        var switches = new HashSet<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                positionals.Add(a);
                continue;
            }
            string name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (!options.TryGetValue(name, out var kind))
                throw new InputException($"dkd {command}: unknown option --{name}{Suggest(name, options.Keys)}");
            if (kind == OptionKind.Switch)
            {
                if (inline is not null) throw new InputException($"dkd {command}: --{name} is a switch and takes no value");
                switches.Add(name);
                continue;
            }
            string? value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Count) throw new InputException($"dkd {command}: --{name} expects a value");
                value = args[++i];
            }
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            if (kind == OptionKind.Value) list.Clear();
            list.Add(value);
        }
        var parsed = new ParsedArgs(command, positionals, values, switches);
        parsed.AtMostPositionals(spec.MaxPositionals);
        return parsed;
    }

    /// <summary>" (did you mean --x?)" for the nearest known name by edit distance, or a list of the known ones.</summary>
    public static string Suggest(string name, IEnumerable<string> known)
    {
        var names = known.ToList();
        if (names.Count == 0) return "";
        var best = names.MinBy(k => EditDistance.Between(name, k))!;
        return EditDistance.Between(name, best) <= Math.Max(2, name.Length / 3)
            ? $" (did you mean --{best}?)"
            : $" (known: {string.Join(", ", names.Select(n => "--" + n))})";
    }
}
