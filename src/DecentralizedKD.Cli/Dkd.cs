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
        new AlgorithmsCommand(),
    ];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintHelp(args.Length == 0 ? stderr : stdout);
            return args.Length == 0 ? ExitInputError : ExitOk;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        try
        {
            if (command is null)
            {
                var best = Commands.MinBy(c => EditDistance.Between(args[0], c.Name))!;
                throw new InputException($"dkd: unknown command '{args[0]}' (did you mean '{best.Name}'? commands: {string.Join(", ", Commands.Select(c => c.Name))})");
            }
            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                stdout.WriteLine("usage: " + command.Usage);
                return ExitOk;
            }
            var parsed = ArgParser.Parse(command.Name, args[1..], command.Options);
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

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static void PrintHelp(TextWriter w)
    {
        w.WriteLine("dkd — DecentralizedKD simulation engine");
        w.WriteLine("commands:");
        foreach (var c in Commands) w.WriteLine("  " + c.Usage);
    }
}
