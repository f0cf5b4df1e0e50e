using DecentralizedKD.Cli.CommandLine;

namespace DecentralizedKD.Cli.Commands;

/// <summary>One dkd sub-command: its options and its action. Returns the process exit code.</summary>
public interface ICommand
{
    string Name { get; }
    string Usage { get; }
    IReadOnlyDictionary<string, OptionKind> Options { get; }
    int Run(ParsedArgs args, TextWriter output);
}
