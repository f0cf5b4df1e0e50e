using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd resume DIR</c>: continues the run in DIR (its results directory, or DIR/checkpoint) from its last committed
/// checkpoint to the end, writing the same outputs as <c>dkd run</c>; prints <c>results: DIR</c> last.
/// </summary>
public sealed class ResumeCommand : ICommand
{
    public CommandSpec Spec { get; } = new("resume",
        "continue a checkpointed run from its last committed checkpoint to the end",
        arguments: [new("DIR", "the run's results folder (or its checkpoint folder, DIR/checkpoint)")],
        details: "Reloads DIR/config.conf, checks the checkpoint against it (format version, config hash, every state file) before " +
                 "anything runs, and writes the same outputs as dkd run into DIR; prints `results: DIR` last.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        var outcome = ExperimentRunner.Resume(args.Positional(0, "DIR"));
        output.WriteLine($"results: {outcome.Directory}");
        return outcome.Result.Error is null ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }
}
