using System.Text.RegularExpressions;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// The help is printed from the same table the parser reads: every option and argument a command accepts is in its
/// usage lines and its option list (with description and default), and the three ways to ask for help agree.
/// </summary>
public sealed class HelpTests
{
    public static TheoryData<string> CommandNames() => new(Cli.Dkd.Commands.Select(c => c.Spec.Name));

    private static CommandSpec Spec(string name) => Cli.Dkd.Commands.Single(c => c.Spec.Name == name).Spec;

    /// <summary>Help text with every run of whitespace as one space, so wrapped and padded text compares as written.</summary>
    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>The usage forms of a full help: "usage: dkd NAME ..." and the "dkd NAME ..." lines under it, each unwrapped.</summary>
    private static List<string> UsageForms(string fullHelp)
    {
        string usage = fullHelp[..fullHelp.IndexOf("\n\n", StringComparison.Ordinal)];
        Assert.StartsWith("usage: dkd ", usage);
        return Regex.Split(usage["usage: ".Length..], @"\n\s*(?=dkd )").Select(Flat).ToList();
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Every_option_the_parser_accepts_is_in_the_help_of_its_command(string name)
    {
        var spec = Spec(name);
        var (code, help, err) = Dkd("help", name);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        string usage = string.Join("\n", UsageForms(help));
        string flat = Flat(help);
        foreach (var (option, kind) in spec.OptionKinds)
        {
            // What the parser does with it...
            var parsed = ArgParser.Parse(spec, kind == OptionKind.Switch ? [$"--{option}"] : [$"--{option}", "a", $"--{option}", "b"]);
            Assert.True(parsed.Has(option), $"dkd {name} --{option}");
            if (kind == OptionKind.Repeated) Assert.Equal(["a", "b"], parsed.All(option));
            if (kind == OptionKind.Value) Assert.Equal("b", parsed.String(option));
            // ...is what the help says: in a usage line, and in the option list with its description and default.
            Assert.Matches($@"--{Regex.Escape(option)}(?![\w-])", usage);
            var o = spec.Options.Single(x => x.Name == option);
            Assert.Equal(kind == OptionKind.Switch, o.Placeholder is null);
            string described = $"{o.Label} {o.Description}" + (kind == OptionKind.Repeated ? " [repeatable]" : "") +
                               (o.Default is null ? "" : $" [default: {o.Default}]");
            Assert.Contains(Flat(described), Flat(help[help.IndexOf("\noptions:\n", StringComparison.Ordinal)..]));
        }
        foreach (var argument in spec.Arguments)
        {
            Assert.Matches($@"(^|[ \[]){Regex.Escape(argument.Name)}(?![\w-])", usage);
            Assert.Contains(Flat($"{argument.Name} {argument.Description}"), flat);
        }
        // And nothing else is accepted: an undeclared option, or more positionals than declared.
        var unknown = Assert.Throws<InputException>(() => ArgParser.Parse(spec, ["--no-such-option"]));
        Assert.StartsWith($"dkd {name}: unknown option --no-such-option", unknown.Message);
        if (spec.MaxPositionals < int.MaxValue)
        {
            var extra = Assert.Throws<InputException>(() => ArgParser.Parse(spec, Enumerable.Repeat("x", spec.MaxPositionals + 1).ToList()));
            Assert.Equal($"dkd {name}: unexpected argument 'x'", extra.Message);
        }
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Help_name_and_name_dash_dash_help_print_the_same_full_help_and_the_command_list_agrees(string name)
    {
        var viaHelp = Dkd("help", name);
        var viaOption = Dkd(name, "--help");
        var viaShort = Dkd(name, "-h");
        Assert.Equal((0, viaHelp.Out, ""), viaOption);
        Assert.Equal((0, viaHelp.Out, ""), viaShort);
        // The same option after other arguments still asks for help rather than running anything.
        Assert.Equal((0, viaHelp.Out, ""), Dkd(name, "x", "--help"));

        var spec = Spec(name);
        var forms = UsageForms(viaHelp.Out);
        Assert.Equal(spec.Usage.Count, forms.Count);
        Assert.All(forms, f => Assert.StartsWith($"dkd {name}", f));
        string summary = viaHelp.Out.Split("\n\n")[1];
        Assert.Equal(Flat(spec.Summary), Flat(summary));

        // In dkd help the command is one block: the same usage forms (wrapped for another indent), then the summary.
        var (code, list, _) = Dkd("help");
        Assert.Equal(0, code);
        string block = list.Split("\n\n").Single(b => b.StartsWith($"dkd {name} ", StringComparison.Ordinal) || b.StartsWith($"dkd {name}\n", StringComparison.Ordinal));
        var lines = block.TrimEnd('\n').Split('\n');
        string[] summaryLines = lines.Where(l => Regex.IsMatch(l, "^    [^ ]")).ToArray();
        Assert.Equal(Flat(spec.Summary), Flat(string.Join(" ", summaryLines)));
        Assert.Equal(lines[^summaryLines.Length..], summaryLines);
        string formsText = string.Join("\n", lines[..^summaryLines.Length]);
        Assert.Equal(forms, Regex.Split(formsText, @"\n\s*(?=dkd )").Select(Flat).ToList());
    }

    [Fact]
    public void Dkd_help_lists_every_command_once_in_table_order_and_no_line_is_wider_than_the_help_width()
    {
        var (code, list, err) = Dkd("help");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var firstForms = list.Split("\n\n").Skip(1).Select(b => b.Split(' ', '\n')[1]).ToArray();
        Assert.Equal(Cli.Dkd.Commands.Select(c => c.Spec.Name), firstForms);
        var everyHelp = Cli.Dkd.Commands.Select(c => Dkd("help", c.Spec.Name).Out).Prepend(list);
        Assert.All(everyHelp.SelectMany(h => h.Split('\n')), line => Assert.InRange(line.Length, 0, CommandLine.CommandHelp.Width));
        Assert.Equal((0, list, ""), Dkd("--help"));
        Assert.Equal((0, list, ""), Dkd("-h"));
    }

    [Fact]
    public void Dkd_alone_prints_the_command_list_on_stderr_and_exits_2()
    {
        var (code, output, err) = Dkd();
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(Dkd("help").Out, err);
    }

    [Theory]
    [InlineData(new[] { "help", "topolgy" }, "error: dkd help: unknown command 'topolgy' (did you mean 'topology'? commands: run, resume, sweep,")]
    [InlineData(new[] { "help", "NOPE" }, "error: dkd help: unknown command 'NOPE' (did you mean '")]
    [InlineData(new[] { "help", "run", "sweep" }, "error: dkd help: unexpected argument 'sweep'")]
    public void Help_for_an_unknown_command_is_one_line_naming_it_with_a_suggestion_and_exit_code_2(string[] args, string expected)
    {
        var (code, output, err) = Dkd(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith(expected, err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_usage_form_naming_an_undeclared_option_or_argument_is_refused_when_the_table_is_built()
    {
        OptionSpec[] options = [OptionSpec.Switch("json", "print JSON")];
        var option = Assert.Throws<InvalidOperationException>(() => new CommandSpec("x", "test", options: options, forms: ["--json --jsno"]));
        Assert.Contains("'--jsno'", option.Message);
        var argument = Assert.Throws<InvalidOperationException>(() => new CommandSpec("x", "test", options: options, forms: ["FILE --json"]));
        Assert.Contains("'FILE'", argument.Message);
    }

    [Fact]
    public void Usage_items_show_required_optional_repeatable_and_fixed_values()
    {
        var spec = new CommandSpec("x", "test",
            arguments: [new("IN", "input"), new("MORE", "more inputs", Required: false, Repeatable: true)],
            options:
            [
                OptionSpec.Value("role", "a|b", "role", required: true),
                OptionSpec.Value("rounds", "R", "rounds", 300),
                OptionSpec.Repeated("set", "key=value", "override"),
                OptionSpec.Switch("json", "print JSON"),
            ],
            forms: ["IN MORE --role --rounds --set --json", "--role=a --json"]);
        Assert.Equal(
        [
            ["IN", "[MORE...]", "--role a|b", "[--rounds R]", "[--set key=value]...", "[--json]"],
            ["--role a", "[--json]"],
        ], spec.Usage);
        Assert.Equal(int.MaxValue, spec.MaxPositionals);
        Assert.Equal(["role", "rounds", "set", "json"], spec.OptionKinds.Keys);
    }
}
