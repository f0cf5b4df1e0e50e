using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Sweeps;
using Xunit;

namespace DecentralizedKD.Hosting.Tests.Sweeps;

/// <summary>Sweep files: expansion into cells and runs, stable names, and one-line errors for every malformed file.</summary>
public sealed class SweepDefinitionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-sweepdef-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string body, string name = "s.conf")
    {
        File.WriteAllText(Path.Combine(_dir, "base.conf"), "experiment { agents = 4, rounds = 4, dataset.name = synthetic }\n");
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, body);
        return path;
    }

    private const string Valid = """
        sweep {
          name = "grid"
          base = "base.conf"
          seeds = [0, 1, 2]
          set { rounds = 6, "model.hidden" = [16, 8] }
          grid { "algorithm.name" = [dpsgd, qgm], "partition.alpha" = [0.01, 0.1] }
          variants = [ { name = plain, set { } }, { name = nesterov, set { optimizer.nesterov = true } } ]
          baseline = "plain,algorithm.name=qgm,partition.alpha=0.1"
        }
        """;

    [Fact]
    public void Variants_cross_the_grid_in_file_order_with_readable_stable_names()
    {
        var plan = SweepPlan.Build(SweepDefinition.Load(Write(Valid), ["optimizer.lr=0.1"]));
        Assert.Equal(
        [
            "plain,algorithm.name=dpsgd,partition.alpha=0.01", "plain,algorithm.name=dpsgd,partition.alpha=0.1",
            "plain,algorithm.name=qgm,partition.alpha=0.01", "plain,algorithm.name=qgm,partition.alpha=0.1",
            "nesterov,algorithm.name=dpsgd,partition.alpha=0.01", "nesterov,algorithm.name=dpsgd,partition.alpha=0.1",
            "nesterov,algorithm.name=qgm,partition.alpha=0.01", "nesterov,algorithm.name=qgm,partition.alpha=0.1",
        ], plan.Cells.Select(c => c.Name));
        Assert.Equal(24, plan.Runs.Count);
        Assert.Equal(7, plan.BaselinePairs.Count);
        Assert.All(plan.BaselinePairs, p => Assert.Equal("plain,algorithm.name=qgm,partition.alpha=0.1", p.B.Name));
        Assert.Equal(plan.Cells.Where(c => c.Name != "plain,algorithm.name=qgm,partition.alpha=0.1"), plan.BaselinePairs.Select(p => p.A));
        var run = plan.Runs.Single(r => r.Cell.Name == "nesterov,algorithm.name=qgm,partition.alpha=0.01" && r.Seed == 2);
        var c = run.Loaded.Config;
        Assert.Equal(("qgm", 0.01, true, 2UL, 6, 0.1), (c.Algorithm.Name, c.Partition.Alpha, c.Optimizer.Nesterov, c.Seed, c.Rounds, c.Optimizer.Lr));
        Assert.Equal([16, 8], c.Model.Hidden);
        Assert.Equal(1, c.Threads);   // parallel runs share the cores
        Assert.Equal(Path.Combine("runs", "nesterov,algorithm.name=qgm,partition.alpha=0.01", "seed-2"), run.Folder);
    }

    /// <summary>Two named variants crossed with two alphas: the shape of a methods table over data heterogeneity.</summary>
    private const string VariantsByAlpha = """
        sweep {
          name = "methods"
          base = "base.conf"
          seeds = [0, 1]
          grid { "partition.alpha" = [0.01, 0.1] }
          variants = [ { name = qgm-ema, set { algorithm.name = qgm } }, { name = dpsgd, set { algorithm.name = dpsgd } },
                       { name = local, set { algorithm.name = local } } ]
          baseline = qgm-ema
          comparisons = [ "dpsgd - qgm-ema", "local - dpsgd", "local,partition.alpha=0.1 - dpsgd,partition.alpha=0.01" ]
        }
        """;

    [Fact]
    public void A_baseline_variant_pairs_every_other_cell_with_the_baseline_variants_cell_at_the_same_grid_point()
    {
        var plan = SweepPlan.Build(SweepDefinition.Load(Write(VariantsByAlpha)));
        Assert.Equal(
        [
            ("dpsgd,partition.alpha=0.01", "qgm-ema,partition.alpha=0.01"), ("dpsgd,partition.alpha=0.1", "qgm-ema,partition.alpha=0.1"),
            ("local,partition.alpha=0.01", "qgm-ema,partition.alpha=0.01"), ("local,partition.alpha=0.1", "qgm-ema,partition.alpha=0.1"),
        ], plan.BaselinePairs.Select(p => (p.A.Name, p.B.Name)));
        Assert.Equal(["qgm-ema,partition.alpha=0.01", "qgm-ema,partition.alpha=0.1"], plan.Cells.Where(plan.IsBaseline).Select(c => c.Name));
        Assert.Contains("  qgm-ema,partition.alpha=0.1  (baseline): seeds 0, 1", plan.Describe());
    }

    [Fact]
    public void A_comparison_of_two_variants_pairs_them_at_every_grid_point_and_one_of_two_cells_pairs_just_those()
    {
        var plan = SweepPlan.Build(SweepDefinition.Load(Write(VariantsByAlpha)));
        Assert.Equal(3, plan.Comparisons.Count);
        Assert.Equal([("dpsgd,partition.alpha=0.01", "qgm-ema,partition.alpha=0.01"), ("dpsgd,partition.alpha=0.1", "qgm-ema,partition.alpha=0.1")],
            plan.Comparisons[0].Pairs.Select(p => (p.A.Name, p.B.Name)));
        Assert.Equal(["0.01", "0.1"], plan.Comparisons[1].Pairs.Select(p => p.GridValue("partition.alpha")));
        var across = plan.Comparisons[2];
        Assert.Equal(("local,partition.alpha=0.1", "dpsgd,partition.alpha=0.01"), (across.Entry.A, across.Entry.B));
        var pair = Assert.Single(across.Pairs);
        Assert.Equal(("local,partition.alpha=0.1", "dpsgd,partition.alpha=0.01"), (pair.A.Name, pair.B.Name));
        Assert.Null(pair.GridValue("partition.alpha"));   // the two cells sit at different grid points
    }

    [Fact]
    public void The_resolved_sweep_loads_back_to_the_same_plan()
    {
        var d = SweepDefinition.Load(Write(Valid), ["optimizer.lr=0.1"]);
        string resolved = Write(d.Render(), "sweep.conf");
        var again = SweepDefinition.Load(resolved);
        Assert.Equal(d.Render(), again.Render());
        Assert.Equal(SweepPlan.Build(d).Runs.Select(r => r.Loaded.ResolvedText), SweepPlan.Build(again).Runs.Select(r => r.Loaded.ResolvedText));
    }

    [Fact]
    public void The_resolved_sweep_keeps_the_baseline_variant_and_the_comparisons()
    {
        var d = SweepDefinition.Load(Write(VariantsByAlpha));
        var again = SweepDefinition.Load(Write(d.Render(), "sweep.conf"));
        Assert.Equal(d.Render(), again.Render());
        Assert.Equal("qgm-ema", again.Baseline);
        Assert.Equal(["dpsgd - qgm-ema", "local - dpsgd", "local,partition.alpha=0.1 - dpsgd,partition.alpha=0.01"], again.Comparisons.Select(c => c.Text));
        // Without the tables' keys both are the same runs.
        Assert.Equal(d.WithoutTables().Render(), (again with { Baseline = null, Comparisons = [] }).Render());
        Assert.DoesNotContain("comparisons", SweepDefinition.Load(Write(Valid)).Render());
    }

    [Fact]
    public void Without_grid_or_variants_there_is_one_cell()
    {
        var plan = SweepPlan.Build(SweepDefinition.Load(Write("sweep { name = one, base = \"base.conf\", seeds = [5] }")));
        Assert.Equal("base", plan.Cells.Single().Name);
        Assert.Equal(5UL, plan.Runs.Single().Loaded.Config.Seed);
    }

    [Theory]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], grid { \"algorithm.name\" = [] } }", "sweep.grid.algorithm.name: empty list")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], grid { \"algorithm.name\" = qgm } }", "sweep.grid.algorithm.name: expected a list of values")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [] }", "sweep.seeds: expected a non-empty list")]
    [InlineData("sweep { name = x, base = \"base.conf\" }", "sweep.seeds: expected a non-empty list")]
    [InlineData("sweep { name = x, base = \"missing.conf\", seeds = [0] }", "sweep.base = 'missing.conf': file")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], colour = red }", "unknown key 'sweep.colour'")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], baseline = \"algorithm.name=qgm\" }", "sweep.baseline = 'algorithm.name=qgm' names no cell")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = a } ] }", "cells 'a' and 'a' have the same name")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], grid { \"algorithm.name\" = [qgm, pushsum] } }", "cell 'algorithm.name=pushsum', seed 0: experiment.algorithm.name = 'pushsum'")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], set { agentz = 3 } }", "cell 'base', seed 0: --set: unknown key 'experiment.agentz'")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0, 0] }", "a seed is listed twice")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0] ", "'{' opened")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], baseline = c }", "sweep.baseline = 'c' names no cell or variant (variants: a, b; cells: a | b)")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = [ \"a - c\" ] }", "sweep.comparisons: 'a - c': 'c' names no variant or cell")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = [ \"a-b\" ] }", "sweep.comparisons: 'a-b': expected \"A - B\"")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = [ \"a - a\" ] }", "sweep.comparisons: 'a - a': compares 'a' with itself")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = \"a - b\" }", "sweep.comparisons: expected a list")]
    [InlineData("sweep { name = x, base = \"base.conf\", seeds = [0], variants = [ { name = a }, { name = b } ], comparisons = [ \"a - b,partition.alpha=1\" ], grid { \"partition.alpha\" = [0.1, 1] } }", "not a variant with a cell")]
    public void A_malformed_sweep_file_is_one_line_naming_the_file_and_what_is_wrong(string body, string expected)
    {
        string path = Write(body);
        var e = Assert.Throws<InputException>(() => SweepPlan.Build(SweepDefinition.Load(path)));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
