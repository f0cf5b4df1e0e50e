using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd run CONFIG [--set k=v]... [--out DIR]</c>: one experiment; prints <c>results: DIR</c> last.</summary>
public sealed class RunCommand : ICommand
{
    public CommandSpec Spec { get; } = new("run",
        "run one experiment from a HOCON config file; prints `results: DIR` last",
        arguments: [new("CONFIG", "the experiment file (HOCON); keys it leaves out keep the embedded defaults")],
        options:
        [
            OptionSpec.Repeated("set", "key=value", "override one config key, e.g. --set partition.alpha=0.01 (the experiment. prefix may be left out)"),
            OptionSpec.Value("out", "DIR", "where the run's folder NAME-TIMESTAMP is created", "experiment.output.dir"),
        ],
        details: "Every key, file and the whole setup are checked before the run starts (bad input: one error line, exit code 2). " +
                 "The run's folder gets config.conf (the resolved config), metrics.csv, agents.csv, summary.md and plots/, and with " +
                 "experiment.checkpoint.every > 0 the checkpoints that dkd resume continues. Exit code 1 if the run failed.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        var loaded = ExperimentConfigLoader.Load(args.Positional(0, "CONFIG"), args.All("set"));
        var outcome = ExperimentRunner.Execute(loaded, args.String("out"));
        output.WriteLine($"results: {outcome.Directory}");
        return outcome.Result.Error is null ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }
}
