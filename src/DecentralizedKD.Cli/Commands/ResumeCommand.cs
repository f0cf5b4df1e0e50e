using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd resume DIR</c>: continues the run in DIR (its results directory, or DIR/checkpoint) from its last committed
/// checkpoint to the end, writing the same outputs as <c>dkd run</c>; prints <c>results: DIR</c> last.
/// </summary>
public sealed class ResumeCommand : ICommand
{
    public string Name => "resume";
    public string Usage => "resume DIR   (continue a run from its last checkpoint; DIR = its results directory)";

    public IReadOnlyDictionary<string, OptionKind> Options { get; } = new Dictionary<string, OptionKind>();

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(1);
        var outcome = ExperimentRunner.Resume(args.Positional(0, "DIR"));
        output.WriteLine($"results: {outcome.Directory}");
        return outcome.Result.Error is null ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }
}
