using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>What `dkd run` writes for a server-based method: the server as the last agent, without data.</summary>
[Collection("engine")]
public sealed class FedDkdCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-fed-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Agents_csv_lists_the_server_last_with_no_samples_and_the_summary_reports_its_accuracy()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] sets = ["agents=3", "rounds=2", "eval-every=1", "dataset.name=synthetic", "dataset.synthetic.train-size=600",
            "dataset.synthetic.test-size=200", "dataset.synthetic.shape=[12]", "model.name=mlp", "model.hidden=[8]",
            "optimizer.local-steps=3", "partition.alpha=1", "algorithm.feddkd.steps=1"];
        int code = Dkd.Run(["run", Path.Combine(RepositoryRoot.FullName, "hocon/experiments/feddkd-16clients-fmnist-a01.conf"), "--out", _dir,
            .. sets.SelectMany(s => new[] { "--set", s })], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string dir = stdout.ToString().TrimEnd().Split('\n')[^1]["results: ".Length..].Trim();

        var agents = File.ReadAllLines(Path.Combine(dir, "agents.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["0", "1", "2", "3"], agents.Select(a => a[0]));
        Assert.Equal(600, agents.Take(3).Sum(a => int.Parse(a[1])));
        Assert.Equal("0", agents[3][1]);                               // the server holds no data
        Assert.Equal("0", agents[3][2]);
        Assert.All(agents, a => Assert.Equal(agents[3][3], a[3]));    // everyone holds w_g at the end
        // Per round (S = 1): each client sends its model and one gradient, the server 2 models to each of the 3 clients.
        Assert.Equal(3 * long.Parse(agents[0][5]), long.Parse(agents[3][5]));   // bytes_sent (after private_accuracy)

        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("3 clients and a server (agent 3, no data)", summary);
        Assert.Contains("| final server model accuracy |", summary);
    }
}
