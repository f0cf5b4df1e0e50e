using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd run CONFIG [--set k=v]... [--out DIR]</c>: one experiment; prints <c>results: DIR</c> last.</summary>
public sealed class RunCommand : ICommand
{
    public string Name => "run";
    public string Usage => "run CONFIG [--set key=value]... [--out DIR]";

    public IReadOnlyDictionary<string, OptionKind> Options { get; } = new Dictionary<string, OptionKind>
    {
        ["set"] = OptionKind.Repeated,
        ["out"] = OptionKind.Value,
    };

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(1);
        var loaded = ExperimentConfigLoader.Load(args.Positional(0, "CONFIG"), args.All("set"));
        var outcome = ExperimentRunner.Execute(loaded, args.String("out"));
        output.WriteLine($"results: {outcome.Directory}");
        return outcome.Result.Error is null ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }
}
