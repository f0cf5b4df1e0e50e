using DecentralizedKD.TestSupport;
using Xunit;
using static DecentralizedKD.Cli.Tests.DkdRunner;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>experiment.model.per-agent</c> through the dkd command: a run with LeNet-5 and MLP agents writes empty
/// averaged-model cells, an agents.csv model column, n/a and a models table in summary.md and no consensus plot;
/// <c>dkd compare</c> and a sweep read such runs; a bad entry is one line on stderr with exit code 2.
/// </summary>
[Collection("engine")]
public sealed class PerAgentModelCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-per-agent-cli-").FullName;

    public PerAgentModelCliTests()
    {
        File.WriteAllText(Path.Combine(_dir, "hetero.conf"), """
            experiment {
              name = "hetero"
              agents = 4
              rounds = 4
              eval-every = 2
              threads = 1
              dataset { name = synthetic, public-fraction = 0.2
                synthetic { train-size = 400, test-size = 100, shape = [1, 16, 16] } }
              partition { alpha = 0.5 }
              model {
                heads = 3
                per-agent = [
                  { agents = "0-1", name = lenet5 },
                  { agents = "2-3", name = mlp, hidden = [16, 8] }
                ]
              }
              algorithm { name = mhd, mhd { public-batch-size = 8 } }
            }
            """);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static string ResultsDir(string output) => output.Trim().Split('\n')[^1]["results: ".Length..];

    [Fact]
    public void A_heterogeneous_run_writes_no_averaged_model_and_names_each_agents_model()
    {
        var (code, output, err) = Dkd("run", Path.Combine(_dir, "hetero.conf"), "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 0, err);
        string run = ResultsDir(output);

        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal(3, metrics.Length);
        foreach (string row in metrics.Skip(1))
        {
            var cells = row.Split(',');
            Assert.Equal(10, cells.Length);
            Assert.Equal(("", ""), (cells[6], cells[8]));   // avg_model_acc, consensus_distance
            Assert.InRange(double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        }

        var agents = File.ReadAllLines(Path.Combine(run, "agents.csv"));
        Assert.Equal("agent,model,samples,classes,final_acc,private_accuracy,bytes_sent,aux1_acc,aux2_acc", agents[0]);
        Assert.StartsWith("0,lenet5(heads=3),", agents[1]);
        Assert.StartsWith("1,lenet5(heads=3),", agents[2]);
        Assert.StartsWith("2,\"mlp[16,8](heads=3)\",", agents[3]);   // a comma inside a label: quoted
        Assert.StartsWith("3,\"mlp[16,8](heads=3)\",", agents[4]);

        string summary = File.ReadAllText(Path.Combine(run, "summary.md"));
        Assert.Contains("| final averaged-model accuracy | n/a (agents' models differ) |", summary);
        Assert.Contains("| final consensus distance | n/a (agents' models differ) |", summary);
        Assert.Contains("models per agent `lenet5(heads=3)` (agents 0-1), `mlp[16,8](heads=3)` (agents 2-3)", summary);
        // LeNet-5 on 1×16×16 with 2 extra heads; MLP 256→16→8 with 3 heads of 8·10+10.
        int mlp = 256 * 16 + 16 + 16 * 8 + 8 + 3 * (8 * 10 + 10);
        Assert.Contains($"| `mlp[16,8](heads=3)` | 2-3 (2) | {mlp:N0} | {(12.0 * mlp / 1024).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)} KB |", summary);
        Assert.Contains("| `lenet5(heads=3)` | 0-1 (2) |", summary);
        Assert.DoesNotContain("consensus.png", summary);
        Assert.False(File.Exists(Path.Combine(run, "plots", "consensus.png")));
        Assert.True(File.Exists(Path.Combine(run, "plots", "accuracy.png")));

        // dkd compare reads the empty cells as n/a, in the table and in compare.csv.
        string cmp = Path.Combine(_dir, "cmp");
        var (compare, table, compareErr) = Dkd("compare", run, "--out", cmp);
        Assert.True(compare == 0, compareErr);
        var line = table.Split('\n')[2].Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(("hetero", "mhd", "4", "n/a", "n/a"), (line[1], line[2], line[3], line[5], line[7]));
        var csv = File.ReadAllLines(Path.Combine(cmp, "compare.csv"))[1].Split(',');
        Assert.Equal(("", "", ""), (csv[4], csv[7], csv[8]));   // final_avg_model_acc, best_avg_model_acc, best_avg_model_round
    }

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void A_sweep_over_heterogeneous_runs_shows_n_a_for_the_averaged_model()
    {
        string sweep = Path.Combine(_dir, "sweep.conf");
        File.WriteAllText(sweep, """
            sweep {
              name = hetero, base = "hetero.conf", seeds = [1, 2]
              grid { "algorithm.mhd.temperature" = [1.0] }
            }
            """);
        var (code, output, err) = Dkd("sweep", sweep, "--out", Path.Combine(_dir, "sweep-out"));
        Assert.True(code == 0, err);
        string dir = ResultsDir(output);
        var header = File.ReadAllLines(Path.Combine(dir, "sweep.csv"))[0].Split(',');
        foreach (string row in File.ReadAllLines(Path.Combine(dir, "sweep.csv")).Skip(1))
        {
            var cells = row.Split(',');
            Assert.Equal("ok", cells[Array.IndexOf(header, "status")]);
            Assert.Equal("", cells[Array.IndexOf(header, "final_avg_model_acc")]);
            Assert.Equal("", cells[Array.IndexOf(header, "final_consensus")]);
            Assert.NotEqual("", cells[Array.IndexOf(header, "final_mean_acc")]);
        }
        var cellsHeader = File.ReadAllLines(Path.Combine(dir, "cells.csv"))[0].Split(',');
        var cell = File.ReadAllLines(Path.Combine(dir, "cells.csv"))[1].Split(',');
        Assert.Equal("", cell[Array.IndexOf(cellsHeader, "final_avg_model_acc_mean")]);
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        var row2 = summary.Split('\n').First(l => l.StartsWith("| `algorithm.mhd.temperature=1.0`", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(("2", "n/a", "n/a"), (row2[2], row2[4], row2[6]));   // n, final averaged-model acc, final consensus distance
        // dkd compare on the sweep folder: the cell's mean over seeds keeps the averaged model n/a.
        var (compare, table, compareErr) = Dkd("compare", dir, "--out", Path.Combine(_dir, "sweep-cmp"));
        Assert.True(compare == 0, compareErr);
        Assert.Equal("n/a", table.Split('\n')[2].Split('|')[5].Trim());
    }

    public static TheoryData<string, string> BadEntries() => new()
    {
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"1-3\", name = mlp }]", "experiment.model.per-agent: agent 1 is in entry 1 (agents = \"0-1\") and entry 2 (agents = \"1-3\")" },
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"3\", name = mlp }]", "experiment.model.per-agent: agent 2 is in no entry" },
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"2-4\", name = mlp }]", "experiment.model.per-agent, entry 2: agents = \"2-4\": agent 4 does not exist (experiment.agents = 4: ids 0-3)" },
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"2 to 3\", name = mlp }]", "experiment.model.per-agent, entry 2: agents = \"2 to 3\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"" },
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"2-3\", name = vgg16 }]", "experiment.model.per-agent, entry 2: name = 'vgg16': expected one of mlp | lenet5 | resnet20" },
        { "model.per-agent=[{ agents = \"0-1\", name = lenet5 }, { agents = \"2-3\", name = mlp, hidden = [16, -1] }]", "experiment.model.per-agent, entry 2: hidden: element '-1' is not an integer in [1, 1048576]" },
        { "algorithm.name=dpsgd", "experiment.model.per-agent: algorithm 'dpsgd' combines or sends model parameters, so every agent needs the same model" },
        // The data is 1×16×16: a ResNet-20 fits, a LeNet-5 on flat 256-vectors does not; the entry's agents are named.
        { "dataset.synthetic.shape=[256]", "experiment.model.per-agent, agents 0-1: model 'lenet5' needs image inputs C×H×W, got shape [256]" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void A_bad_per_agent_setting_is_one_line_on_stderr_with_exit_code_2(string set, string expected)
    {
        var (code, output, err) = Dkd("run", Path.Combine(_dir, "hetero.conf"), "--out", Path.Combine(_dir, "out"), "--set", set);
        Assert.True(code == 2, $"exit code {code}, stderr: {err}");
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "out")).Any());
    }
}
