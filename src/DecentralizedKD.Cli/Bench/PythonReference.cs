using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;

namespace DecentralizedKD.Cli.Bench;

/// <summary>One run of the reference script: its steady-state ms per round and the BLAS libraries it had mapped.</summary>
public sealed record ReferenceTiming(double MsPerRound, string Blas);

/// <summary>
/// The plain-PyTorch reference of <c>dkd bench --reference</c> (bench/pytorch_reference.py): checks, before the bench
/// spends any time on the engine, that the interpreter exists and imports torch and numpy and that the workload is one
/// the script implements; then runs it and reads its JSON summary line.
/// </summary>
public static partial class PythonReference
{
    /// <summary>Debian's packages for the reference: torch, numpy and an optimised BLAS (without it torch uses netlib's).</summary>
    public const string InstallCommand = "apt-get install python3-torch python3-numpy libopenblas0-openmp";

    /// <summary>Importing torch takes seconds on a busy machine, not minutes.</summary>
    public static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <c>PYTHON -c "import torch, numpy"</c>. A missing interpreter, a missing module or any other failure is an
    /// <see cref="InputException"/> naming what is missing and the install command.
    /// </summary>
    public static void RequireDependencies(string python)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import torch, numpy");
        Process process;
        try { process = Process.Start(psi) ?? throw new Win32Exception(); }
        catch (Win32Exception)
        {
            throw new InputException($"--python: interpreter '{python}' not found or not executable; the reference needs Python with torch and numpy: {InstallCommand}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ImportTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InputException($"--python: '{python} -c \"import torch, numpy\"' did not finish within {ImportTimeout.TotalSeconds:F0} s");
            }
            process.WaitForExit();   // the redirected streams are complete only after this overload returns
            if (process.ExitCode == 0) return;
            string error = stderr.GetAwaiter().GetResult();
            _ = stdout.GetAwaiter().GetResult();
            var missing = MissingModule().Match(error);
            throw new InputException(missing.Success
                ? $"--reference: {python} has no Python module '{missing.Groups[1].Value}' (Debian package python3-{missing.Groups[1].Value}); install with: {InstallCommand}"
                : $"--reference: {python} cannot import torch and numpy (exit {process.ExitCode}{LastLine(error)}); install with: {InstallCommand}");
        }
    }

    /// <summary>
    /// The script times synchronous D-PSGD or QGM with LeNet-5 on a ring, one local step per round; anything else would
    /// compare different work.
    /// </summary>
    public static void RequireMatchingWorkload(ExperimentConfig c)
    {
        var differences = new List<string>();
        if (c.Mode != RunMode.Sync) differences.Add($"mode = {c.Mode.Name()}");
        if (c.Model.Architecture is not LeNet5Descriptor || c.Model.Heads != 1) differences.Add($"model.name = {c.Model.Name}{(c.Model.Heads != 1 ? $", model.heads = {c.Model.Heads}" : "")}");
        if (c.Topology.Kind != TopologyKindRegistry.Ring) differences.Add($"topology.kind = {c.Topology.Kind.Name}");
        if (c.Optimizer.LocalSteps != 1) differences.Add($"optimizer.local-steps = {c.Optimizer.LocalSteps}");
        if (differences.Count > 0)
            throw new InputException($"--reference: the reference script times sync D-PSGD/QGM with LeNet-5 on a ring, one local step per round; " +
                                     $"this workload has {string.Join(", ", differences)} (leave out --reference)");
    }

    /// <summary>Runs the script on the workload and reads the last line it prints (a JSON object).</summary>
    public static ReferenceTiming Run(string python, string script, ExperimentConfig c, int rounds, int threads)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var inv = CultureInfo.InvariantCulture;
        foreach (string a in new[] { script, "--agents", c.Agents.ToString(inv), "--alpha", c.Partition.Alpha.ToString(inv),
                     "--rounds", rounds.ToString(inv), "--eval-every", "0", "--no-initial-eval",
                     "--threads", threads.ToString(inv), "--algo", Algorithm(c),
                     "--batch", c.Optimizer.BatchSize.ToString(inv), "--data-dir", c.Dataset.Path })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InputException($"--python: cannot start '{python}'");
        // Both streams are read at once: a script that fills one pipe while we wait on the other would block forever.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InputException($"reference script failed (exit {process.ExitCode}{LastLine(stderr.GetAwaiter().GetResult())})");
        string json = stdout.GetAwaiter().GetResult().Trim().Split('\n')[^1];
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            // Steady-state mean: the script leaves out its first 10 rounds, like the engine's warm-up.
            return new ReferenceTiming(root.GetProperty("per_round_ms_steady_mean").GetDouble(),
                root.TryGetProperty("blas", out var blas) ? blas.GetString() ?? "unknown" : "unknown");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InputException($"--reference: '{script}' did not end with a JSON line holding per_round_ms_steady_mean (last line: {json})");
        }
    }

    /// <summary>The reference implements D-PSGD and QGM; QGM configs compare against QGM, anything else against D-PSGD.</summary>
    private static string Algorithm(ExperimentConfig c) =>
        c.Algorithm.Descriptor is QgmDescriptor ? QgmDescriptor.AlgorithmName : DpsgdDescriptor.AlgorithmName;

    private static string LastLine(string text) =>
        text.Trim() is { Length: > 0 } t ? ": " + t.Split('\n')[^1].Trim() : "";

    [GeneratedRegex(@"No module named '([A-Za-z0-9_]+)")]
    private static partial Regex MissingModule();
}
