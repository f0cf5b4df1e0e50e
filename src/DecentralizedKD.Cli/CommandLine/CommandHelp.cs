using System.Text;

namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// The help texts, printed from the commands' <see cref="CommandSpec"/> tables: the command list of <c>dkd help</c>
/// (which the README shows verbatim) and the full help of one command (<c>dkd help NAME</c>, <c>dkd NAME --help</c>).
/// </summary>
public static class CommandHelp
{
    /// <summary>Lines are wrapped to this many characters so that they read well in a terminal and in the README.</summary>
    public const int Width = 100;

    private const string SummaryIndent = "    ";
    private const string ListIndent = "  ";

    /// <summary>What <c>dkd help</c> prints: each command's usage lines and its one-line summary.</summary>
    public static string CommandList(IEnumerable<CommandSpec> commands)
    {
        var sb = new StringBuilder();
        sb.Append("dkd — DecentralizedKD simulation engine\n");
        sb.Append("usage: dkd COMMAND [ARGS]   (dkd help COMMAND or dkd COMMAND --help: its options and defaults)\n");
        foreach (var command in commands)
        {
            sb.Append('\n');
            foreach (string line in UsageLines(command, "")) sb.Append(line).Append('\n');
            foreach (string line in Wrap(command.Summary, SummaryIndent, SummaryIndent)) sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>What <c>dkd help NAME</c> prints: usage, summary and details, then every argument and option with its default.</summary>
    public static string Full(CommandSpec command)
    {
        var sb = new StringBuilder();
        foreach (string line in UsageLines(command, "usage: ")) sb.Append(line).Append('\n');
        sb.Append('\n');
        foreach (string line in Wrap(command.Summary, "", "")) sb.Append(line).Append('\n');
        foreach (string paragraph in command.Details.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append('\n');
            foreach (string line in Wrap(paragraph, "", "")) sb.Append(line).Append('\n');
        }
        if (command.Arguments.Count > 0)
        {
            sb.Append("\narguments:\n");
            AppendTable(sb, command.Arguments.Select(a => (a.Name, a.Description)).ToList());
        }
        if (command.Options.Count > 0)
        {
            sb.Append("\noptions:\n");
            AppendTable(sb, command.Options.Select(o => (o.Label, Describe(o))).ToList());
        }
        return sb.ToString();
    }

    /// <summary>
    /// One line per usage form, <c>dkd NAME</c> and its items, wrapped onto continuation lines indented under the first
    /// item; <paramref name="prefix"/> goes before the first form and as many spaces before the others.
    /// </summary>
    public static IEnumerable<string> UsageLines(CommandSpec command, string prefix)
    {
        for (int k = 0; k < command.Usage.Count; k++)
        {
            string head = (k == 0 ? prefix : new string(' ', prefix.Length)) + "dkd " + command.Name;
            var line = new StringBuilder(head);
            foreach (string item in command.Usage[k])
            {
                if (line.Length > head.Length && line.Length + 1 + item.Length > Width)
                {
                    yield return line.ToString();
                    line.Clear().Append(' ', head.Length);
                }
                line.Append(' ').Append(item);
            }
            yield return line.ToString();
        }
    }

    private static string Describe(OptionSpec o)
    {
        string text = o.Description;
        if (o.Kind == OptionKind.Repeated) text += " [repeatable]";
        if (o.Default is not null) text += $" [default: {o.Default}]";
        return text;
    }

    private static void AppendTable(StringBuilder sb, IReadOnlyList<(string Label, string Text)> rows)
    {
        int column = rows.Max(r => r.Label.Length) + 2;
        foreach (var (label, text) in rows)
        {
            string first = ListIndent + label.PadRight(column);
            foreach (string line in Wrap(text, first, new string(' ', first.Length))) sb.Append(line).Append('\n');
        }
    }

    /// <summary>Greedy word wrap to <see cref="Width"/>: <paramref name="first"/> starts the first line, <paramref name="rest"/> the others.</summary>
    private static IEnumerable<string> Wrap(string text, string first, string rest)
    {
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                yield return line.ToString();
                line.Clear().Append(rest);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        yield return line.ToString();
    }
}
