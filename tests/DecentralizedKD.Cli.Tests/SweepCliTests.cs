using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd sweep</c> end to end on tiny synthetic runs: run folders equal standalone <c>dkd run</c>s, a failing run is
/// isolated, malformed sweeps are one line with nothing written, and a sweep killed with SIGKILL and resumed ends
/// with the uninterrupted sweep's tables.
/// </summary>
[Collection("engine")]
public sealed class SweepCliTests : IDisposable
{
    static SweepCliTests() => AlgorithmRegistry.Register(new ExplodingDescriptor());

    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);


    private const string Tiny = "agents = 4, eval-every = 3, dataset.name = synthetic, dataset.synthetic.train-size = 480, " +
                                "dataset.synthetic.test-size = 200, \"dataset.synthetic.shape\" = [1, 8, 8], partition.kind = iid, " +
                                "model.name = mlp, \"model.hidden\" = [16], optimizer.batch-size = 64";

    private string Sweep(string body, string name = "sweep.conf")
    {
        File.WriteAllText(Path.Combine(_dir, "base.conf"), "experiment { rounds = 6 }\n");
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, body);
        return path;
    }

    private static string[] WithoutWall(string csv, string column = "wall_s")
    {
        var lines = File.ReadAllLines(csv);
        int k = SplitCsv(lines[0]).IndexOf(column);
        return lines.Select(l => string.Join('|', SplitCsv(l).Where((_, i) => i != k))).ToArray();
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void A_sweep_run_folder_equals_a_standalone_dkd_run_of_the_same_config()
    {
        string sweep = Sweep($$"""
            sweep {
              name = eq, base = "base.conf", seeds = [3, 4]
              set { {{Tiny}} }
              grid { "algorithm.name" = [dpsgd, qgm] }
              baseline = "algorithm.name=dpsgd"
            }
            """);
        var (code, output, err) = Dkd("sweep", sweep, "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 0, err);
        Assert.Equal($"results: {Path.Combine(_dir, "out")}", output.Trim().Split('\n')[^1]);
        string runDir = Path.Combine(_dir, "out", "runs", "algorithm.name=qgm", "seed-4");

        // The same experiment by hand: the run's own config.conf, through dkd run.
        var (single, singleOut, singleErr) = Dkd("run", Path.Combine(runDir, "config.conf"), "--out", Path.Combine(_dir, "single"));
        Assert.True(single == 0, singleErr);
        string singleDir = singleOut.Trim().Split('\n')[^1]["results: ".Length..];
        Assert.Equal(WithoutWall(Path.Combine(singleDir, "metrics.csv")), WithoutWall(Path.Combine(runDir, "metrics.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(singleDir, "agents.csv")), File.ReadAllText(Path.Combine(runDir, "agents.csv")));

        var rows = File.ReadAllLines(Path.Combine(_dir, "out", "sweep.csv"));
        Assert.Equal(5, rows.Length);
        Assert.StartsWith("cell,algorithm.name,seed,status,final_mean_acc,", rows[0]);
        Assert.All(rows.Skip(1), r => Assert.Contains(",ok,", r));
        var cells = File.ReadAllLines(Path.Combine(_dir, "out", "cells.csv"));
        Assert.Equal(3, cells.Length);
        Assert.StartsWith("algorithm.name=dpsgd,dpsgd,2,", cells[1]);
        string summary = File.ReadAllText(Path.Combine(_dir, "out", "summary.md"));
        Assert.Contains("## Paired differences against `algorithm.name=dpsgd`", summary);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "plots", "mean_acc.png")));

        // dkd compare takes the sweep folder as its cells, each the mean over its seeds.
        var (cmp, cmpOut, cmpErr) = Dkd("compare", Path.Combine(_dir, "out"), "--out", Path.Combine(_dir, "cmp"));
        Assert.True(cmp == 0, cmpErr);
        var lines = cmpOut.Split('\n').Where(l => l.Contains("(mean of 2 seeds)")).ToArray();
        Assert.Equal(2, lines.Length);
        var qgm = rows.Skip(1).Where(r => r.StartsWith("algorithm.name=qgm,")).Select(r => double.Parse(SplitCsv(r)[4], System.Globalization.CultureInfo.InvariantCulture)).Average();
        Assert.Contains($"| {(100 * qgm).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}% |", lines.Single(l => l.Contains("algorithm.name=qgm")));
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void A_failing_run_is_recorded_and_the_others_finish()
    {
        string sweep = Sweep($$"""
            sweep {
              name = boom, base = "base.conf", seeds = [0, 1]
              set { {{Tiny}} }
              grid { "algorithm.name" = [dpsgd, exploding] }
            }
            """);
        var (code, output, _) = Dkd("sweep", sweep, "--out", Path.Combine(_dir, "out"), "--parallel", "2");
        Assert.Equal(1, code);
        Assert.EndsWith($"results: {Path.Combine(_dir, "out")}", output.Trim());
        var rows = File.ReadAllLines(Path.Combine(_dir, "out", "sweep.csv")).Skip(1).ToArray();
        Assert.Equal(2, rows.Count(r => r.StartsWith("algorithm.name=dpsgd,dpsgd,") && r.Contains(",ok,")));
        Assert.Equal(2, rows.Count(r => r.StartsWith("algorithm.name=exploding,exploding,") && r.Contains(",failed,")));
        string summary = File.ReadAllText(Path.Combine(_dir, "out", "summary.md"));
        Assert.Contains("2 run(s) ok, 2 failed", summary);
        Assert.Contains("exploded after round 2 on purpose", summary);
    }

    [Theory]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], grid { \"algorithm.name\" = [] } }", "sweep.grid.algorithm.name: empty list")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], grid { \"optimizer.lr\" = [0.1, -1] } }", "cell 'optimizer.lr=-1', seed 0: experiment.optimizer.lr = -1")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], set { agents = 100000 } }", "cell 'base', seed 0: partition: 100000 agents")]
    public void A_malformed_sweep_is_one_line_exit_2_and_nothing_written(string body, string expected)
    {
        var (code, output, err) = Dkd("sweep", Sweep(body), "--out", Path.Combine(_dir, "out"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Dry_run_lists_the_runs_validates_them_and_writes_nothing()
    {
        string sweep = Sweep($$"""
            sweep {
              name = dry, base = "base.conf", seeds = [0, 1, 2]
              set { {{Tiny}} }
              grid { "algorithm.name" = [dpsgd, qgm] }
            }
            """);
        var (code, output, err) = Dkd("sweep", sweep, "--dry-run", "--out", Path.Combine(_dir, "out"), "--parallel", "3");
        Assert.True(code == 0, err);
        Assert.Contains("2 cell(s) × 3 seed(s) = 6 run(s)", output);
        Assert.Contains("all 6 runs validated; would run 3 at a time", output);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public async Task A_sweep_killed_with_sigkill_and_resumed_ends_with_the_uninterrupted_tables()
    {
        // Six runs one at a time, long enough to be killed in the middle of one, with checkpoints to resume it from.
        string sweep = Sweep($$"""
            sweep {
              name = killed, base = "base.conf", seeds = [0, 1, 2]
              set { {{Tiny}}, agents = 8, rounds = 240, eval-every = 60, checkpoint.every = 40 }
              grid { "algorithm.name" = [dpsgd, qgm] }
            }
            """);
        string reference = Path.Combine(_dir, "reference"), killed = Path.Combine(_dir, "killed");
        var (code, _, err) = Dkd("sweep", sweep, "--out", reference, "--parallel", "1");
        Assert.True(code == 0, err);

        using (var process = ChildProcess.Dkd("dkd sweep", "sweep", sweep, "--out", killed, "--parallel", "1"))
        {
            // Kill once two runs are complete and the third has committed a checkpoint.
            await Bounded.Until(() => process.HasExited
                || (Complete(killed) >= 2 && Directory.GetFiles(killed, CheckpointFormat.ManifestName, SearchOption.AllDirectories).Length >= 3),
                "two complete runs and a checkpoint of the third", 120, () => process.Tail());
            Assert.False(process.HasExited, $"the sweep finished before it could be killed\n{process.Tail()}");
            process.Kill(entireProcessTree: true);
            await process.WaitForExit(60);
        }
        int before = Complete(killed);
        Assert.InRange(before, 2, 5);

        var (resumed, resumedOut, resumedErr) = Dkd("sweep", "--resume", killed);
        Assert.True(resumed == 0, resumedErr);
        Assert.EndsWith($"results: {killed}", resumedOut.Trim());
        Assert.Equal(WithoutWall(Path.Combine(reference, "sweep.csv")), WithoutWall(Path.Combine(killed, "sweep.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "cells.csv")), File.ReadAllText(Path.Combine(killed, "cells.csv")));
    }

    private static int Complete(string sweepDir) =>
        Directory.Exists(sweepDir) ? Directory.GetFiles(sweepDir, ".sweep-complete", SearchOption.AllDirectories).Length : 0;

    /// <summary>D-PSGD that throws in round 2: a run that passes every check and then fails.</summary>
    private sealed class ExplodingDescriptor : AlgorithmDescriptor
    {
        public override string Name => "exploding";
        public override string Description => "test only: D-PSGD that fails in round 2";
        public override IAgentAlgorithm CreateAgent(AgentContext a) => new Exploding(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr);

        private sealed class Exploding(IGradientSource source, Core.Topology.Schedules.AgentLinks links, Core.Optimization.SgdSettings sgd, Core.Optimization.LearningRateSchedule lr)
            : Dpsgd(source, links, sgd, lr)
        {
            public override void LocalWork(int round)
            {
                if (round == 2) throw new InvalidOperationException("exploded after round 2 on purpose");
                base.LocalWork(round);
            }
        }
    }
}
