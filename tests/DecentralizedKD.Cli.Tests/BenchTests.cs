using System.Text.Json;
using DecentralizedKD.Cli.Bench;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Validation;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd bench</c>: the reference's Python dependencies are checked before any engine round (one line, exit 2),
/// the BLAS it reports is classified, agent-steps/s is the arithmetic it claims, and the committed gossipy-like
/// workload is what its file says. Bench runs here are a few rounds of a tiny synthetic workload; no timing is asserted.
/// </summary>
[Collection("engine")]
public sealed class BenchTests : IDisposable
{
    static BenchTests() => AlgorithmRegistry.Register(new CountingDescriptor());

    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A LeNet-5 workload the reference script accepts, small enough to validate in a moment.</summary>
    private static readonly string[] TinyLeNet =
    [
        "--set", "agents=4", "--set", "dataset.name=synthetic", "--set", "dataset.synthetic.train-size=480",
        "--set", "dataset.synthetic.test-size=100", "--set", "partition.kind=iid", "--set", $"algorithm.name={CountingDescriptor.AlgorithmName}",
    ];

    private static string Script => Path.Combine(RepositoryRoot.FullName, "bench", "pytorch_reference.py");

    private string FakePython(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        // An interpreter is an executable file; the engine and this suite run on Linux.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void A_python_without_torch_is_one_line_naming_the_module_and_the_install_command_before_any_engine_round()
    {
        string python = FakePython("python-without-torch", "echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 1");
        AssertRefusedBeforeAnyRound(python, $"{python} has no Python module 'torch' (Debian package python3-torch)");
    }

    [Fact]
    public void An_interpreter_that_fails_the_import_is_one_line_with_the_install_command_before_any_engine_round() =>
        AssertRefusedBeforeAnyRound("/bin/false", "/bin/false cannot import torch and numpy (exit 1)");

    [Fact]
    public void A_missing_interpreter_is_one_line_naming_it_before_any_engine_round()
    {
        string python = Path.Combine(_dir, "no-such-python3");
        AssertRefusedBeforeAnyRound(python, $"--python: interpreter '{python}' not found");
    }

    private static void AssertRefusedBeforeAnyRound(string python, string expected)
    {
        CountingDescriptor.Reset();
        var (code, output, err) = Dkd(["bench", "--rounds", "12", "--warmup", "2", "--repeats", "1", .. TinyLeNet, "--reference", Script, "--python", python]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.Contains(expected, err);
        Assert.Contains("apt-get install python3-torch python3-numpy libopenblas0-openmp", err);
        Assert.Equal(0, CountingDescriptor.LocalSteps);
    }

    [Fact]
    public void A_workload_the_reference_does_not_implement_is_refused_before_any_engine_round()
    {
        CountingDescriptor.Reset();
        var (code, output, err) = Dkd(["bench", "--rounds", "12", .. TinyLeNet, "--set", "optimizer.local-steps=3", "--reference", Script, "--python", "/bin/false"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: --reference: the reference script times sync D-PSGD/QGM with LeNet-5 on a ring, one local step per round; " +
                     "this workload has optimizer.local-steps = 3 (leave out --reference)", err.TrimEnd('\n'));
        Assert.Equal(0, CountingDescriptor.LocalSteps);
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", true)]
    [InlineData("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0, /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3.11.0", true)]
    [InlineData("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3, /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so", false)]
    [InlineData("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3, /usr/lib/x86_64-linux-gnu/libmkl_rt.so", false)]
    [InlineData("none mapped", false)]
    [InlineData("unknown", false)]
    public void Only_the_netlib_reference_blas_gets_the_flattering_ratio_warning(string loaded, bool netlib) =>
        Assert.Equal(netlib, ReferenceBlas.IsNetlib(loaded));

    [Fact]
    public void Agent_steps_per_second_is_agents_times_rounds_times_local_steps_over_seconds()
    {
        Assert.Equal(2000.0, AgentSteps.PerSecond(agents: 100, rounds: 100, localSteps: 19, seconds: 95.0));
        Assert.Equal(320.0, AgentSteps.FromMsPerRound(agents: 16, localSteps: 1, msPerRound: 50.0));
        Assert.Equal(AgentSteps.PerSecond(100, 100, 19, 95.0), AgentSteps.FromMsPerRound(100, 19, 950.0), 9);
        Assert.True(double.IsNaN(AgentSteps.PerSecond(4, 2, 1, 0)));
    }

    [Fact]
    public void The_clock_times_the_rounds_after_the_warm_up_and_an_unwarmed_run_from_the_agents_creation()
    {
        var warmed = new TrainingClock(warmup: 2);
        warmed.AgentsCreated();
        for (int r = 1; r <= 5; r++) warmed.OnRoundCompleted(r);
        Assert.Equal(3, warmed.TimedRounds);
        Assert.True(warmed.Seconds >= 0);

        var unwarmed = new TrainingClock(warmup: 0);
        Assert.True(double.IsNaN(unwarmed.MsPerRound));   // nothing timed yet
        unwarmed.AgentsCreated();
        unwarmed.OnRoundCompleted(7);                      // an async run reports only its last row
        Assert.Equal(7, unwarmed.TimedRounds);
        Assert.True(unwarmed.Seconds >= 0);
    }

    [Fact]
    public void The_json_carries_every_repetition_the_best_of_each_and_agent_steps_from_the_best()
    {
        CountingDescriptor.Reset();
        var (code, output, err) = Dkd(["bench", "--rounds", "4", "--warmup", "1", "--repeats", "2", "--threads", "2", "--json",
            .. TinyLeNet, "--set", "optimizer.local-steps=2"]);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var r = json.RootElement;
        Assert.Equal((4, 4, 1, 2, 2), (r.GetProperty("agents").GetInt32(), r.GetProperty("rounds").GetInt32(), r.GetProperty("warmup").GetInt32(),
            r.GetProperty("localSteps").GetInt32(), r.GetProperty("repeats").GetInt32()));
        // Engine (1 and 2 threads) and bare loop, each run twice: 3 timings × 2 × 4 rounds × 4 agents × 2 steps.
        Assert.Equal(3 * 2 * 4 * 4 * 2, CountingDescriptor.LocalSteps);
        foreach (string figure in new[] { "bareLoop", "engine1Thread", "engine2Threads" })
        {
            var each = r.GetProperty($"{figure}MsPerRoundEach").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(2, each.Length);
            double best = r.GetProperty($"{figure}MsPerRound").GetDouble();
            Assert.Equal(each.Min(), best);
            AssertAgentSteps(4 * 2, best, r.GetProperty($"{figure}AgentStepsPerSecond").GetDouble());
        }
        Assert.Equal(JsonValueKind.Null, r.GetProperty("pytorchReferenceMsPerRound").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("referenceBlas").ValueKind);
    }

    [Fact]
    public void An_async_workload_is_timed_whole_and_reports_agent_steps()
    {
        string config = Path.Combine(RepositoryRoot.FullName, "hocon", "experiments", "gossipy-like-100.conf");
        var (code, output, err) = Dkd("bench", config, "--rounds", "2", "--repeats", "1", "--threads", "1", "--json",
            "--set", "agents=4", "--set", "optimizer.local-steps=3", "--set", "dataset.name=synthetic", "--set", "dataset.synthetic.train-size=480",
            "--set", "dataset.synthetic.test-size=100", "--set", "model.hidden=[8]");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var r = json.RootElement;
        Assert.Equal(("async", 4, 2, 0, 3), (r.GetProperty("mode").GetString(), r.GetProperty("agents").GetInt32(), r.GetProperty("rounds").GetInt32(),
            r.GetProperty("warmup").GetInt32(), r.GetProperty("localSteps").GetInt32()));
        double ms = r.GetProperty("engine1ThreadMsPerRound").GetDouble();
        Assert.True(ms > 0, output);
        AssertAgentSteps(4 * 3, ms, r.GetProperty("engine1ThreadAgentStepsPerSecond").GetDouble());
    }

    /// <summary>
    /// agent-steps/s = agent-steps per round × 1000 ÷ ms per round. The JSON rounds ms to 0.01 and computes the
    /// throughput from the unrounded time, so the two agree to within what that rounding moves (≤ 0.005 ms).
    /// </summary>
    private static void AssertAgentSteps(int stepsPerRound, double msPerRound, double reported)
    {
        double expected = stepsPerRound * 1000.0 / msPerRound;
        double slack = stepsPerRound * 1000.0 * 0.005 / (msPerRound * (msPerRound - 0.005)) + 0.05;
        Assert.InRange(reported, expected - slack, expected + slack);
    }

    [Fact]
    public void Warm_up_rounds_are_refused_for_an_async_workload()
    {
        string config = Path.Combine(RepositoryRoot.FullName, "hocon", "experiments", "gossipy-like-100.conf");
        var (code, output, err) = Dkd("bench", config, "--warmup", "3");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: --warmup: an async workload has no common round", err);
    }

    [Fact]
    public void The_gossipy_like_workload_is_100_mlp_agents_in_async_mode_with_uniform_latency_and_19_plain_sgd_steps()
    {
        var loaded = ExperimentConfigLoader.Load(Path.Combine(RepositoryRoot.FullName, "hocon", "experiments", "gossipy-like-100.conf"), []);
        var setup = ValidationPipeline.Prepare(loaded, ValidationPurpose.Run);
        var c = setup.Plan.Config;
        Assert.Equal((100, 100, RunMode.Async, "mlp"), (c.Agents, c.Rounds, c.Mode, c.Model.Name));
        Assert.Equal([100], c.Model.Hidden);
        Assert.Equal(784 * 100 + 100 + 100 * 10 + 10, setup.Plan.ParameterCount);
        Assert.Equal((0.1, 0.0, 19, 32), (c.Optimizer.Lr, c.Optimizer.Momentum, c.Optimizer.LocalSteps, c.Optimizer.BatchSize));
        Assert.Equal(("Uniform", 0.0, 0.010), (c.Async.LatencyDist.ToString(), c.Async.LatencyMin, c.Async.LatencyMax));
    }

    /// <summary>D-PSGD that counts its local steps: shows whether the bench ran any engine or bare-loop round.</summary>
    private sealed class CountingDescriptor : AlgorithmDescriptor
    {
        public const string AlgorithmName = "bench-counting";
        private static int _localSteps;

        public static int LocalSteps => Volatile.Read(ref _localSteps);
        public static void Reset() => Volatile.Write(ref _localSteps, 0);

        public override string Name => AlgorithmName;
        public override string Description => "test only: D-PSGD that counts its local steps";
        public override IAgentAlgorithm CreateAgent(AgentContext a) => new Counting(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps);

        private sealed class Counting(IGradientSource source, Core.Topology.Schedules.AgentLinks links, Core.Optimization.SgdSettings sgd, Core.Optimization.LearningRateSchedule lr, int localSteps)
            : Dpsgd(source, links, sgd, lr, localSteps)
        {
            public override void LocalWork(int round)
            {
                base.LocalWork(round);
                Interlocked.Add(ref _localSteps, LocalSteps);
            }
        }
    }
}
