using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd bench</c>: D-PSGD ring-16 LeNet-5 rounds (a) through the actor engine with 1 and with N compute threads,
/// (b) as a bare single-threaded loop over the same agent objects, and optionally (c) the PyTorch reference script.
/// Prints ms/round and the ratios; evaluation is excluded from all timings.
/// </summary>
public sealed class BenchCommand : ICommand
{
    private const int DefaultRounds = 300;
    private const int DefaultWarmup = 20;
    private const int DefaultRepeats = 2;
    private const string DefaultPython = "/usr/bin/python3";

    public CommandSpec Spec { get; } = new("bench",
        "ms/round of D-PSGD ring-16 LeNet-5: engine with 1 and N threads, bare loop, PyTorch reference",
        options:
        [
            OptionSpec.Value("rounds", "R", "rounds per timing (at least 2)", DefaultRounds),
            OptionSpec.Value("warmup", "W", "first rounds left out of each timing", DefaultWarmup),
            OptionSpec.Value("threads", "N", "compute threads of the multi-threaded engine timing and of the reference", "the number of cores"),
            OptionSpec.Repeated("set", "key=value", "override one config key of the workload"),
            OptionSpec.Value("reference", "SCRIPT", "also time this PyTorch reference script (bench/pytorch_reference.py) on the same workload"),
            OptionSpec.Value("python", "PYTHON", "the interpreter that runs --reference", DefaultPython),
            OptionSpec.Value("repeats", "K", "interleaved repetitions of the 1-thread engine and bare-loop timings, best of each (1 to 10)",
                DefaultRepeats),
            OptionSpec.Switch("json", "print one JSON object instead of the table"),
        ],
        details: "The workload is the embedded defaults (D-PSGD, 16-agent ring, LeNet-5 on Fashion-MNIST) with --set applied, " +
                 "run (a) through the actor engine with 1 and with N compute threads and (b) as a bare single-threaded loop over " +
                 "the same agent objects. Prints ms/round and the ratios; evaluation is excluded from all timings.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        int rounds = args.Int("rounds", DefaultRounds, 2);
        int warmup = args.Int("warmup", DefaultWarmup, 0, rounds - 1);
        int threads = args.Int("threads", Environment.ProcessorCount, 1);
        LoadedExperiment Config(int t) => ExperimentConfigLoader.Load(null,
            [$"rounds={rounds}", "eval-every=0", "dataset.test-samples=100", $"threads={t}", .. args.All("set")]);

        var setup = ValidationPipeline.Prepare(Config(1), ValidationPurpose.Bench);
        // Interleaved repetitions, best of each: the first heavy phase of a process pays one-off heap growth and the
        // VM is noisy, so neither variant should be charged for running first.
        int repeats = args.Int("repeats", DefaultRepeats, 1, 10);
        double engine1 = double.MaxValue, bare = double.MaxValue;
        for (int k = 0; k < repeats; k++)
        {
            engine1 = Math.Min(engine1, EngineMsPerRound(Config(1).Config, warmup));
            bare = Math.Min(bare, BareLoop.MsPerRound(setup, rounds, warmup));
        }
        double engineN = EngineMsPerRound(Config(threads).Config, warmup);
        double? reference = args.String("reference") is string script
            ? ReferenceMsPerRound(args.String("python") ?? DefaultPython, script, setup, rounds, threads)
            : null;

        var c = setup.Config;
        var result = new Dictionary<string, object?>
        {
            ["workload"] = $"{c.Algorithm.Name} {c.Topology.Kind.Name()}-{c.Agents} {c.Model.Name} batch {c.Optimizer.BatchSize}, {rounds} rounds ({warmup} warm-up)",
            ["bareLoopMsPerRound"] = Math.Round(bare, 2),
            ["engine1ThreadMsPerRound"] = Math.Round(engine1, 2),
            [$"engine{threads}ThreadsMsPerRound"] = Math.Round(engineN, 2),
            ["engineOverhead1Thread"] = Math.Round(engine1 / bare - 1, 4),
            ["speedupWithThreads"] = Math.Round(engine1 / engineN, 3),
            ["pytorchReferenceMsPerRound"] = reference is null ? null : Math.Round(reference.Value, 2),
            ["engineVsPytorch"] = reference is null ? null : Math.Round(engineN / reference.Value, 3),
        };
        if (args.Switch("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(result));
            return Dkd.ExitOk;
        }
        foreach (var (k, v) in result) output.WriteLine($"{k,-30} {Convert.ToString(v, CultureInfo.InvariantCulture) ?? "n/a (pass --reference)"}");
        return Dkd.ExitOk;
    }

    private static double EngineMsPerRound(Core.Config.ExperimentConfig config, int warmup)
    {
        var timer = new RoundTimer(warmup);
        var result = LocalRun.Run(ExperimentSetup.Build(config), timer);
        if (result.Error is not null) throw new InvalidOperationException(result.Error);
        return timer.MsPerRound;
    }

    /// <summary>Runs the PyTorch reference script (bench/pytorch_reference.py) on the same workload and reads its JSON summary line.</summary>
    private static double ReferenceMsPerRound(string python, string script, ExperimentSetup setup, int rounds, int threads)
    {
        if (!File.Exists(script)) throw new InputException($"--reference: script '{script}' not found");
        var c = setup.Config;
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { script, "--agents", c.Agents.ToString(CultureInfo.InvariantCulture), "--alpha", c.Partition.Alpha.ToString(CultureInfo.InvariantCulture),
                     "--rounds", rounds.ToString(CultureInfo.InvariantCulture), "--eval-every", "0", "--no-initial-eval",
                     "--threads", threads.ToString(CultureInfo.InvariantCulture), "--algo", ReferenceAlgorithm(c),
                     "--batch", c.Optimizer.BatchSize.ToString(CultureInfo.InvariantCulture), "--data-dir", c.Dataset.Path })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InputException($"--python: cannot start '{python}'");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InputException($"reference script failed (exit {process.ExitCode}): {stderr.Trim().Split('\n')[^1]}");
        string json = stdout.Trim().Split('\n')[^1];
        using var doc = JsonDocument.Parse(json);
        // Steady-state mean skips the first 10 rounds, like the engine's warm-up.
        return doc.RootElement.GetProperty("per_round_ms_steady_mean").GetDouble();
    }

    /// <summary>The reference script implements D-PSGD and QGM; QGM configs compare against QGM, anything else against D-PSGD.</summary>
    private static string ReferenceAlgorithm(Core.Config.ExperimentConfig c) =>
        c.Algorithm.Descriptor is QgmDescriptor ? QgmDescriptor.AlgorithmName : DpsgdDescriptor.AlgorithmName;
}
