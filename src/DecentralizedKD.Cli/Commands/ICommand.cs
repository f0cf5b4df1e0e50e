using DecentralizedKD.Cli.CommandLine;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// One dkd sub-command: its table of arguments and options (what the parser accepts and the help prints) and its
/// action. Returns the process exit code.
/// </summary>
public interface ICommand
{
    CommandSpec Spec { get; }
    int Run(ParsedArgs args, TextWriter output);
}
