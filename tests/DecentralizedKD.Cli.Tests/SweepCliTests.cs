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

        // Rerunning one published run from the sweep file: --only CELL --seeds S runs exactly that run.
        var (one, oneOut, oneErr) = Dkd("sweep", sweep, "--only", "algorithm.name=qgm", "--seeds", "4", "--out", Path.Combine(_dir, "one"));
        Assert.True(one == 0, oneErr);
        Assert.Equal(["seed-4"], Directory.GetDirectories(Path.Combine(_dir, "one", "runs", "algorithm.name=qgm")).Select(Path.GetFileName));
        Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "one", "runs")));
        Assert.Equal(WithoutWall(Path.Combine(runDir, "metrics.csv")),
            WithoutWall(Path.Combine(_dir, "one", "runs", "algorithm.name=qgm", "seed-4", "metrics.csv")));
        Assert.DoesNotContain("Paired differences", File.ReadAllText(Path.Combine(_dir, "one", "summary.md")));
        (one, _, oneErr) = Dkd("sweep", sweep, "--only", "algorithm.name=sgd", "--dry-run");
        Assert.Equal(2, one);
        Assert.Equal($"error: --only 'algorithm.name=sgd': {sweep} has no such cell (cells: algorithm.name=dpsgd | algorithm.name=qgm)", oneErr.Trim());
        (one, _, oneErr) = Dkd("sweep", sweep, "--seeds", "3,5", "--dry-run");
        Assert.Equal(2, one);
        Assert.Equal($"error: --seeds: seed 5 is not one of {sweep}'s seeds [3, 4]", oneErr.Trim());

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

    /// <summary>Two methods crossed with two learning rates, three seeds, QGM the baseline variant.</summary>
    private string MethodsByLr(string comparisons = "") => Sweep($$"""
        sweep {
          name = methods, base = "base.conf", seeds = [0, 1, 2]
          set { {{Tiny}} }
          variants = [ { name = qgm-ema, set { algorithm.name = qgm } }, { name = dpsgd, set { algorithm.name = dpsgd } },
                       { name = local, set { algorithm.name = local } } ]
          baseline = qgm-ema
          {{comparisons}}
          grid { "optimizer.lr" = [0.02, 0.2] }
        }
        """);

    /// <summary>Per seed, cell A minus cell B of one sweep.csv column, in seed order — what a paired comparison averages.</summary>
    private static double[] PerSeedDifferences(string sweepCsv, string cellA, string cellB, string column)
    {
        var lines = File.ReadAllLines(sweepCsv);
        var header = SplitCsv(lines[0]);
        int cell = header.IndexOf("cell"), seed = header.IndexOf("seed"), value = header.IndexOf(column);
        var rows = lines.Skip(1).Select(SplitCsv).ToArray();
        double Value(string c, string s) => double.Parse(rows.Single(r => r[cell] == c && r[seed] == s)[value], System.Globalization.CultureInfo.InvariantCulture);
        return rows.Where(r => r[cell] == cellA).Select(r => r[seed]).OrderBy(int.Parse).Select(s => Value(cellA, s) - Value(cellB, s)).ToArray();
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void A_baseline_variant_is_compared_within_each_grid_point_and_added_comparisons_reuse_the_finished_runs()
    {
        string sweep = MethodsByLr(), out_ = Path.Combine(_dir, "out");
        var (code, _, err) = Dkd("sweep", sweep, "--out", out_);
        Assert.True(code == 0, err);
        string sweepCsv = Path.Combine(out_, "sweep.csv");
        Assert.False(File.Exists(Path.Combine(out_, "comparisons.csv")));

        // Each cell against QGM at its own learning rate, with the mean of the per-seed differences from sweep.csv.
        string summary = File.ReadAllText(Path.Combine(out_, "summary.md"));
        Assert.Contains("## Paired differences against `qgm-ema` at each grid point", summary);
        Assert.Contains("| `qgm-ema,optimizer.lr=0.2` (baseline) | 3 |", summary);
        foreach (string variant in new[] { "dpsgd", "local" })
        foreach (string lr in new[] { "0.02", "0.2" })
        {
            string cell = $"{variant},optimizer.lr={lr}", baseline = $"qgm-ema,optimizer.lr={lr}";
            double mean = PerSeedDifferences(sweepCsv, cell, baseline, "final_mean_acc").Average();
            string sign = mean >= 0 ? "+" : "";
            Assert.Contains($"| `{cell}` | `{baseline}` | final mean agent acc | 3 | {sign}{(100 * mean).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} ± ", summary);
        }
        Assert.DoesNotContain("| `dpsgd,optimizer.lr=0.2` | `qgm-ema,optimizer.lr=0.02` |", summary);

        // The same sweep with comparisons, into the same folder: every run is kept as it is, the tables gain them.
        var runFiles = Directory.GetFiles(Path.Combine(out_, "runs"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllText(f)));
        string sweepCsvBefore = File.ReadAllText(sweepCsv), cellsBefore = File.ReadAllText(Path.Combine(out_, "cells.csv"));
        MethodsByLr("""comparisons = [ "dpsgd - qgm-ema", "local - dpsgd", "local,optimizer.lr=0.2 - local,optimizer.lr=0.02" ]""");
        var (again, againOut, againErr) = Dkd("sweep", sweep, "--out", out_);
        Assert.True(again == 0, againErr);
        Assert.EndsWith($"results: {out_}", againOut.Trim());
        Assert.Equal(runFiles.Keys.Order(), Directory.GetFiles(Path.Combine(out_, "runs"), "*", SearchOption.AllDirectories).Order());
        Assert.All(runFiles, f => Assert.Equal(f.Value, (File.GetLastWriteTimeUtc(f.Key), File.ReadAllText(f.Key))));
        Assert.Equal(sweepCsvBefore, File.ReadAllText(sweepCsv));   // wall_s included: no run ran again
        Assert.Equal(cellsBefore, File.ReadAllText(Path.Combine(out_, "cells.csv")));
        Assert.Contains("comparisons = [\"dpsgd - qgm-ema\", \"local - dpsgd\", \"local,optimizer.lr=0.2 - local,optimizer.lr=0.02\"]",
            File.ReadAllText(Path.Combine(out_, "sweep.conf")));

        var csv = File.ReadAllLines(Path.Combine(out_, "comparisons.csv"));
        Assert.Equal("a,b,optimizer.lr,metric,n,mean_diff,ci95,p_value,p_holm", csv[0]);
        Assert.Equal(2 * (2 + 2 + 1), csv.Length - 1);   // 2 metrics × (two grid points, two grid points, one pair of cells)
        var rows = csv.Skip(1).Select(SplitCsv).ToArray();
        double Reported(string a, string b, string lr, string metric) =>
            double.Parse(rows.Single(r => r[0] == a && r[1] == b && r[2] == lr && r[3] == metric)[5], System.Globalization.CultureInfo.InvariantCulture);
        foreach (string metric in new[] { "final_mean_acc", "final_avg_model_acc" })
        foreach (string lr in new[] { "0.02", "0.2" })
        {
            Assert.Equal(PerSeedDifferences(sweepCsv, $"dpsgd,optimizer.lr={lr}", $"qgm-ema,optimizer.lr={lr}", metric).Average(), Reported("dpsgd", "qgm-ema", lr, metric));
            Assert.Equal(PerSeedDifferences(sweepCsv, $"local,optimizer.lr={lr}", $"dpsgd,optimizer.lr={lr}", metric).Average(), Reported("local", "dpsgd", lr, metric));
        }
        Assert.Equal(PerSeedDifferences(sweepCsv, "local,optimizer.lr=0.2", "local,optimizer.lr=0.02", "final_mean_acc").Average(),
            Reported("local,optimizer.lr=0.2", "local,optimizer.lr=0.02", "", "final_mean_acc"));
        Assert.All(rows, r => Assert.Equal("3", r[4]));
        string withComparisons = File.ReadAllText(Path.Combine(out_, "summary.md"));
        Assert.Contains("## Comparisons", withComparisons);
        Assert.Contains("| `dpsgd` − `qgm-ema` | 0.2 | 3 | ", withComparisons);
    }

    /// <summary>A finished sweep folder without run folders, as docs/results holds them: sweep.conf and a hand-written sweep.csv.</summary>
    private string PublishedSweep(params string[] rows)
    {
        string dir = Path.Combine(_dir, "published");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "base.conf"), "experiment { rounds = 6 }\n");
        File.WriteAllText(Path.Combine(dir, "sweep.conf"), $$"""
            sweep {
              name = published, base = "base.conf", seeds = [0, 1, 2]
              set { {{Tiny}} }
              variants = [ { name = a }, { name = b }, { name = c } ]
              comparisons = [ "a - b", "c - b" ]
            }
            """);
        File.WriteAllText(Path.Combine(dir, "sweep.csv"),
            "cell,seed,status,final_mean_acc,best_mean_acc,final_avg_model_acc,best_avg_model_acc,final_consensus,bytes_per_agent,virtual_time_s,wall_s,run_dir\n" +
            string.Concat(rows.Select(r => r + "\n")));
        return dir;
    }

    private static string Row(string cell, int seed, double meanAcc, double avgAcc) =>
        FormattableString.Invariant($"{cell},{seed},ok,{meanAcc},{meanAcc},{avgAcc},{avgAcc},0.5,1000,1.5,2.5,runs/{cell}/seed-{seed}");

    [Fact]
    public void Report_rebuilds_the_tables_from_sweep_csv_alone_with_holm_adjusted_p_values()
    {
        // final mean acc: a − b = 0.125, 0.25, 0 (t = √3, 2 df: p = 1 − √(3/5)); c − b = 0.125 each (no spread: p n/a).
        // final averaged-model acc: a − b = 0, 0.25, −0.25 (t = 0: p = 1); c − b = 0.25, 0.5, 0.75 (t = 2√3: p = 1 − 2√3/√14).
        string dir = PublishedSweep(
            Row("a", 0, 0.625, 0.5), Row("a", 1, 0.5, 0.75), Row("a", 2, 0.75, 0.25),
            Row("b", 0, 0.5, 0.5), Row("b", 1, 0.25, 0.5), Row("b", 2, 0.75, 0.5),
            Row("c", 0, 0.625, 0.75), Row("c", 1, 0.375, 1.0), Row("c", 2, 0.875, 1.25));
        File.WriteAllText(Path.Combine(dir, "summary.md"), "# Sweep published\n\n- 9 run(s) ok, 0 failed; wall time 12.5 s\n");
        string sweepCsv = File.ReadAllText(Path.Combine(dir, "sweep.csv"));

        var (code, output, err) = Dkd("sweep", "--report", dir);
        Assert.True(code == 0, err);
        Assert.Equal($"results: {dir}", output.Trim());
        Assert.Equal(sweepCsv, File.ReadAllText(Path.Combine(dir, "sweep.csv")));   // the source is not rewritten

        var csv = File.ReadAllLines(Path.Combine(dir, "comparisons.csv"));
        Assert.Equal("a,b,metric,n,mean_diff,ci95,p_value,p_holm", csv[0]);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["a|b|final_mean_acc", "c|b|final_mean_acc", "a|b|final_avg_model_acc", "c|b|final_avg_model_acc"], rows.Select(r => $"{r[0]}|{r[1]}|{r[2]}"));
        double Cell(int row, int column) => rows[row][column] == "" ? double.NaN : double.Parse(rows[row][column], System.Globalization.CultureInfo.InvariantCulture);
        double pAB = 1 - Math.Sqrt(3.0 / 5.0), pCBAvg = 1 - 2 * Math.Sqrt(3) / Math.Sqrt(14);
        Assert.Equal(0.125, Cell(0, 4), 12);
        Assert.Equal(pAB, Cell(0, 6), 9);
        Assert.Equal("|", rows[1][6] + "|" + rows[1][7]);   // no spread: p and p_holm n/a
        Assert.Equal(1.0, Cell(2, 6), 9);
        Assert.Equal(pCBAvg, Cell(3, 6), 9);
        // Holm over the three defined p-values: 0.0742·3, then 0.2254·2, then 1·1.
        Assert.Equal(2 * pAB, Cell(0, 7), 9);
        Assert.Equal(1.0, Cell(2, 7), 9);
        Assert.Equal(3 * pCBAvg, Cell(3, 7), 9);

        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("- 9 run(s) ok, 0 failed; wall time 12.5 s\n", summary);   // the sweep's wall time, not the rebuild's
        Assert.Contains("p (Holm): Holm's step-down adjustment of p over the sweep's 3 comparison(s)", summary);
        Assert.Contains("| A − B | pairs | difference | p | p (Holm) |", summary);
        Assert.Contains("| `a` − `b` | 3 | +12.50 ± 31.05 pts | 0.2254 | 0.4508 |", summary);
        Assert.Contains("| `c` − `b` | 3 | +12.50 ± n/a pts | n/a | n/a |", summary);
        Assert.Contains("| `c` − `b` | 3 | +50.00 ± 62.10 pts | 0.0742 | 0.2225 |", summary);
        Assert.StartsWith("cell,n,final_mean_acc_mean,", File.ReadAllText(Path.Combine(dir, "cells.csv")));

        // Again: byte-identical (the rebuild reads back the wall time it wrote).
        string comparisons = File.ReadAllText(Path.Combine(dir, "comparisons.csv")), cells = File.ReadAllText(Path.Combine(dir, "cells.csv"));
        Assert.Equal(0, Dkd("sweep", "--report", dir).Code);
        Assert.Equal((comparisons, cells, summary), (File.ReadAllText(Path.Combine(dir, "comparisons.csv")), File.ReadAllText(Path.Combine(dir, "cells.csv")), File.ReadAllText(Path.Combine(dir, "summary.md"))));
    }

    [Fact]
    public void Report_of_a_sweep_csv_that_misses_a_run_is_one_line_naming_it()
    {
        string dir = PublishedSweep(Row("a", 0, 0.5, 0.5), Row("a", 1, 0.5, 0.5), Row("a", 2, 0.5, 0.5), Row("b", 0, 0.5, 0.5));
        var (code, output, err) = Dkd("sweep", "--report", dir);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains($"{Path.Combine(dir, "sweep.csv")}: no row for cell 'b' seed 1", err);
        Assert.False(File.Exists(Path.Combine(dir, "comparisons.csv")));

        var (other, _, otherErr) = Dkd("sweep", "--report", dir, "--parallel", "2");
        Assert.Equal(2, other);
        Assert.Contains("dkd sweep --report DIR rebuilds the tables of DIR as its sweep.conf and sweep.csv say; it takes no other option", otherErr);
    }

    [Theory]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = [ \"a - nope\" ] }",
        "sweep.conf: sweep.comparisons: 'a - nope': 'nope' names no variant or cell")]
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
