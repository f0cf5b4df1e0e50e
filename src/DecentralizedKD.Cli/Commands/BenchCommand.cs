using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DecentralizedKD.Cli.Bench;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd bench [CONFIG]</c>: a workload (by default D-PSGD ring-16 LeNet-5) timed (a) through the actor engine with 1
/// and with N compute threads, (b) as a bare single-threaded loop over the same agent objects, and optionally (c) by
/// the PyTorch reference script, as interleaved repetitions keeping the best of each. Prints ms/round, agent-steps/s
/// and the ratios; evaluation is excluded from all timings.
/// </summary>
public sealed class BenchCommand : ICommand
{
    private const int DefaultRounds = 300;
    private const int DefaultWarmup = 20;
    private const int DefaultRepeats = 3;
    private const string DefaultPython = "/usr/bin/python3";

    public CommandSpec Spec { get; } = new("bench",
        "ms/round and agent-steps/s of a workload: engine with 1 and N threads, bare loop, PyTorch reference",
        arguments: [new("CONFIG", "the workload's experiment file (HOCON); left out: the embedded defaults, D-PSGD ring-16 LeNet-5", Required: false)],
        options:
        [
            OptionSpec.Value("rounds", "R", "rounds per timing (at least 2)", $"CONFIG's rounds, or {DefaultRounds} without CONFIG"),
            OptionSpec.Value("warmup", "W", "first rounds left out of each timing (sync mode only)", $"{DefaultWarmup}, at most R − 1"),
            OptionSpec.Value("threads", "N", "compute threads of the multi-threaded engine timing and of the reference", "the number of cores"),
            OptionSpec.Repeated("set", "key=value", "override one config key of the workload"),
            OptionSpec.Value("reference", "SCRIPT", "also time this PyTorch reference script (bench/pytorch_reference.py) on the same workload"),
            OptionSpec.Value("python", "PYTHON", "the interpreter that runs --reference; it must import torch and numpy", DefaultPython),
            OptionSpec.Value("repeats", "K", "interleaved repetitions of every timing, best of each (1 to 10)", DefaultRepeats),
            OptionSpec.Switch("json", "print one JSON object instead of the table"),
        ],
        details: "The workload is CONFIG (or the embedded defaults: D-PSGD, 16-agent ring, LeNet-5 on Fashion-MNIST) with --set applied, " +
                 "run (a) through the actor engine with 1 and with N compute threads, (b) as a bare single-threaded loop over the same " +
                 "agent objects and, with --reference, (c) by the PyTorch script; the K repetitions are interleaved and the best of each " +
                 "is kept. Prints ms/round and agent-steps/s (agents × rounds × local steps ÷ wall seconds of training) and the ratios; " +
                 "evaluation is excluded from all timings, except that an asynchronous workload, which has no common round boundary, is " +
                 "timed from the agents' creation to its final metrics row and so includes one evaluation on 100 test samples. With --reference, the interpreter must import torch and numpy (checked before any timing: " +
                 "otherwise one error line, exit code 2), and the output names the BLAS the reference loaded, with a warning if it is " +
                 "the netlib reference BLAS.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(1);
        string? configPath = args.Positionals.Count > 0 ? args.Positional(0, "CONFIG") : null;
        var sets = args.All("set");
        int rounds = args.Int("rounds", configPath is null ? DefaultRounds : ExperimentConfigLoader.Load(configPath, sets).Config.Rounds, 2);
        int threads = args.Int("threads", Environment.ProcessorCount, 1);
        int repeats = args.Int("repeats", DefaultRepeats, 1, 10);
        LoadedExperiment Config(int t) => ExperimentConfigLoader.Load(configPath,
            [$"rounds={rounds}", "eval-every=0", "dataset.test-samples=100", $"threads={t}", .. sets]);

        var process = ValidationPipeline.Prepare(Config(1), ValidationPurpose.Bench);
        var c = process.Plan.Config;
        if (c.Mode == RunMode.Realtime)
            throw new InputException("experiment.mode = realtime: dkd bench times sync or async runs (realtime mode waits on the wall clock)");
        bool async = c.Mode == RunMode.Async;
        if (async && args.Has("warmup"))
            throw new InputException("--warmup: an async workload has no common round to start the clock at; it is timed from the agents' creation (leave out --warmup)");
        int warmup = async ? 0 : args.Int("warmup", Math.Min(DefaultWarmup, c.Rounds - 1), 0, c.Rounds - 1);

        // Everything the reference needs is checked before the engine spends minutes on rounds.
        string? script = args.String("reference");
        string python = args.String("python") ?? DefaultPython;
        if (script is not null)
        {
            if (!File.Exists(script)) throw new InputException($"--reference: script '{script}' not found");
            PythonReference.RequireMatchingWorkload(c);
            PythonReference.RequireDependencies(python);
        }

        // Interleaved repetitions, best of each: the first heavy phase of a process pays one-off heap growth and the
        // machine is noisy, so no variant should be charged for running first.
        var engine1 = new List<double>();
        var engineN = new List<double>();
        var bare = new List<double>();
        var reference = new List<double>();
        string? blas = null;
        for (int k = 0; k < repeats; k++)
        {
            engine1.Add(EngineMsPerRound(Config(1).Config, warmup));
            bare.Add(BareLoop.MsPerRound(process, c.Rounds, warmup));
            engineN.Add(EngineMsPerRound(Config(threads).Config, warmup));
            if (script is null) continue;
            var timing = PythonReference.Run(python, script, c, c.Rounds, threads);
            reference.Add(timing.MsPerRound);
            blas = timing.Blas;
        }

        int agents = c.Agents, steps = c.Optimizer.LocalSteps;
        double best1 = engine1.Min(), bestN = engineN.Min(), bestBare = bare.Min();
        double? bestReference = reference.Count > 0 ? reference.Min() : null;
        string threadsKey = threads == 1 ? "1Thread" : $"{threads}Threads";
        string? warning = blas is not null && ReferenceBlas.IsNetlib(blas) ? ReferenceBlas.Warning(blas) : null;
        var result = new Dictionary<string, object?>
        {
            ["workload"] = $"{c.Algorithm.Name} {c.Topology.Kind.Name}-{agents} {c.Model.Name} batch {c.Optimizer.BatchSize}, {c.Mode.Name()}, " +
                           $"{c.Rounds} rounds ({(async ? "no warm-up: timed from the agents' creation" : $"{warmup} warm-up")}), {steps} local step(s) per round",
            ["config"] = configPath is null ? "embedded defaults" : Path.GetFullPath(configPath),
            ["mode"] = c.Mode.Name(),
            ["agents"] = agents,
            ["rounds"] = c.Rounds,
            ["warmup"] = warmup,
            ["localSteps"] = steps,
            ["threads"] = threads,
            ["repeats"] = repeats,
            ["bareLoopMsPerRound"] = Round(bestBare, 2),
            ["engine1ThreadMsPerRound"] = Round(best1, 2),
            [$"engine{threadsKey}MsPerRound"] = Round(bestN, 2),
            ["engineOverhead1Thread"] = Round(best1 / bestBare - 1, 4),
            ["speedupWithThreads"] = Round(best1 / bestN, 3),
            ["bareLoopAgentStepsPerSecond"] = Round(AgentSteps.FromMsPerRound(agents, steps, bestBare), 1),
            ["engine1ThreadAgentStepsPerSecond"] = Round(AgentSteps.FromMsPerRound(agents, steps, best1), 1),
            [$"engine{threadsKey}AgentStepsPerSecond"] = Round(AgentSteps.FromMsPerRound(agents, steps, bestN), 1),
            ["pytorchReferenceMsPerRound"] = bestReference is { } r ? Round(r, 2) : null,
            ["engineVsPytorch"] = bestReference is { } r2 ? Round(bestN / r2, 3) : null,
            ["referencePython"] = script is null ? null : python,
            ["referenceBlas"] = blas,
            ["referenceBlasWarning"] = warning,
            ["bareLoopMsPerRoundEach"] = bare.Select(v => Round(v, 2)).ToArray(),
            ["engine1ThreadMsPerRoundEach"] = engine1.Select(v => Round(v, 2)).ToArray(),
            [$"engine{threadsKey}MsPerRoundEach"] = engineN.Select(v => Round(v, 2)).ToArray(),
            ["pytorchReferenceMsPerRoundEach"] = script is null ? null : reference.Select(v => Round(v, 2)).ToArray(),
        };
        if (args.Switch("json"))
        {
            // A timing that never ran is NaN, which plain JSON cannot hold.
            output.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions
            {
                NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // "agents' creation", not "agents\u0027 creation"
            }));
            return Dkd.ExitOk;
        }
        foreach (var (key, value) in result)
            if (key != "referenceBlasWarning") output.WriteLine($"{key,-36} {Text(value)}");
        if (warning is not null) output.WriteLine(warning);
        return Dkd.ExitOk;
    }

    private static double EngineMsPerRound(ExperimentConfig config, int warmup)
    {
        var clock = new TrainingClock(warmup);
        var result = LocalRun.Run(HostProcess.Build(config), clock, hooks: new RunHooks { AgentsCreated = clock.AgentsCreated });
        if (result.Error is not null) throw new InvalidOperationException(result.Error);
        return clock.MsPerRound;
    }

    private static double Round(double value, int digits) => Math.Round(value, digits);

    private static string Text(object? value) => value switch
    {
        null => "n/a (pass --reference)",
        double[] each => string.Join(", ", each.Select(v => v.ToString(CultureInfo.InvariantCulture))),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
