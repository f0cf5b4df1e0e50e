using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Commands;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Text;

namespace DecentralizedKD.Cli;

/// <summary>
/// The dkd command dispatcher. Every user error (bad argument, config, file, topology) surfaces as an
/// <see cref="InputException"/> and becomes one line on stderr with exit code 2 — never a stack trace.
/// </summary>
public static class Dkd
{
    public const int ExitOk = 0;
    public const int ExitRunFailed = 1;
    public const int ExitInputError = 2;

    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new RunCommand(),
        new ResumeCommand(),
        new SweepCommand(),
        new DefaultRunCommand(),
        new TopologyCommand(),
        new PartitionCommand(),
        new BenchCommand(),
        new CompareCommand(),
        new ScaleCommand(),
        new HostCommand(),
        new ListCommand(),
    ];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.Write(CommandList);
            return ExitInputError;
        }
        if (args[0] is "--help" or "-h")
        {
            stdout.Write(CommandList);
            return ExitOk;
        }
        try
        {
            if (args[0] == "help") return Help(args[1..], stdout);
            var command = Find(args[0], "dkd");
            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                stdout.Write(CommandHelp.Full(command.Spec));
                return ExitOk;
            }
            var parsed = ArgParser.Parse(command.Spec, args[1..]);
            return command.Run(parsed, stdout);
        }
        catch (InputException e)
        {
            stderr.WriteLine("error: " + OneLine(e.Message));
            return ExitInputError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("DKD_DEBUG") is not ("1" or "true"))
        {
            // Not an input error, so a bug or an environment failure: still one line, the trace on request.
            stderr.WriteLine($"error: unexpected {e.GetType().Name}: {OneLine(e.Message)} (set DKD_DEBUG=1 for the stack trace)");
            return ExitRunFailed;
        }
    }

    /// <summary>What <c>dkd help</c> prints (and <c>dkd</c> alone, on stderr): every command's usage and summary.</summary>
    public static string CommandList => CommandHelp.CommandList(Commands.Select(c => c.Spec));

    /// <summary><c>dkd help</c>: the command list; <c>dkd help NAME</c>: that command's full help.</summary>
    private static int Help(string[] args, TextWriter stdout)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            stdout.Write(CommandList);
            return ExitOk;
        }
        if (args.Length > 1) throw new InputException($"dkd help: unexpected argument '{args[1]}' (usage: dkd help [COMMAND])");
        stdout.Write(CommandHelp.Full(Find(args[0], "dkd help").Spec));
        return ExitOk;
    }

    private static ICommand Find(string name, string caller)
    {
        var command = Commands.FirstOrDefault(c => c.Spec.Name == name);
        if (command is not null) return command;
        var best = Commands.MinBy(c => EditDistance.Between(name, c.Spec.Name))!;
        throw new InputException($"{caller}: unknown command '{name}' (did you mean '{best.Spec.Name}'? commands: {string.Join(", ", Commands.Select(c => c.Spec.Name))})");
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
