namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// Everything a dkd command accepts, declared once: its positional arguments and options drive both the parser
/// (<see cref="ArgParser"/>) and the help (<see cref="CommandHelp"/>), so nothing can be accepted without being
/// documented or documented without being accepted.
/// </summary>
public sealed class CommandSpec
{
    /// <param name="summary">One line for the command list of <c>dkd help</c>.</param>
    /// <param name="details">More for <c>dkd help NAME</c>; wrapped there, so one paragraph per line.</param>
    /// <param name="forms">
    /// The usage lines when the command has mutually exclusive forms, each the names it shows in order: an argument
    /// (<c>SWEEP</c>), an option (<c>--parallel</c>) or an option with a fixed value (<c>--role=coordinator</c>).
    /// Left out: one form with every argument, then every option, in table order.
    /// </param>
    public CommandSpec(string name, string summary, IReadOnlyList<ArgumentSpec>? arguments = null, IReadOnlyList<OptionSpec>? options = null,
        IReadOnlyList<string>? forms = null, string details = "")
    {
        Name = name;
        Summary = summary;
        Details = details;
        Arguments = arguments ?? [];
        Options = options ?? [];
        for (int k = 0; k < Arguments.Count - 1; k++)
            if (Arguments[k].Repeatable) throw new InvalidOperationException($"dkd {name}: only the last argument may be repeatable ({Arguments[k].Name})");
        OptionKinds = Options.ToDictionary(o => o.Name, o => o.Kind);
        Usage = forms is null
            ? [[.. Arguments.Select(a => a.Synopsis), .. Options.Select(o => o.Synopsis())]]
            : forms.Select(f => (IReadOnlyList<string>)f.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Synopsis).ToList()).ToList();
    }

    public string Name { get; }
    public string Summary { get; }
    public string Details { get; }
    public IReadOnlyList<ArgumentSpec> Arguments { get; }
    public IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>What the parser accepts: every option by name, in table order (the order "known: ..." lists them in).</summary>
    public IReadOnlyDictionary<string, OptionKind> OptionKinds { get; }

    /// <summary>How many positionals the parser accepts.</summary>
    public int MaxPositionals => Arguments.Count > 0 && Arguments[^1].Repeatable ? int.MaxValue : Arguments.Count;

    /// <summary>The usage forms, each as the items one usage line shows (<c>CONFIG</c>, <c>[--out DIR]</c>, ...).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Usage { get; }

    private string Synopsis(string item)
    {
        if (!item.StartsWith("--", StringComparison.Ordinal))
            return (Arguments.FirstOrDefault(a => a.Name == item) ?? throw Unknown("argument", item)).Synopsis;
        int eq = item.IndexOf('=');
        string name = eq < 0 ? item[2..] : item[2..eq];
        var option = Options.FirstOrDefault(o => o.Name == name) ?? throw Unknown("option", item);
        return option.Synopsis(eq < 0 ? null : item[(eq + 1)..]);
    }

    private InvalidOperationException Unknown(string what, string item) =>
        new($"dkd {Name}: usage form names {what} '{item}', which the command does not declare");
}
