using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

public sealed class ExperimentConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Defaults_match_the_design_document()
    {
        var c = ExperimentConfigLoader.Load(null).Config;
        Assert.Equal(16, c.Agents);
        Assert.Equal(1170, c.Rounds);
        Assert.Equal(117, c.EvalEvery);
        Assert.Equal("fashion-mnist", c.Dataset.Name);
        Assert.IsType<Core.Data.DirichletPartitioner>(c.Partition.Kind);
        Assert.Equal(0.1, c.Partition.Alpha);
        Assert.Same(Core.Topology.Kinds.TopologyKindRegistry.Ring, c.Topology.Kind);
        Assert.Equal("lenet5", c.Model.Name);
        Assert.Equal(0.05, c.Optimizer.Lr);
        Assert.Equal(0.9, c.Optimizer.Momentum);
        Assert.Equal(1e-4, c.Optimizer.WeightDecay);
        Assert.Equal(32, c.Optimizer.BatchSize);
        Assert.Equal("dpsgd", c.Algorithm.Name);
    }

    [Fact]
    public void File_overrides_defaults_and_set_overrides_file()
    {
        string file = Write("experiment {\n  agents = 8\n  algorithm { name = qgm }\n  optimizer.lr = 0.1\n}");
        var c = ExperimentConfigLoader.Load(file, ["experiment.optimizer.lr=0.2", "partition.alpha=0.01"]).Config;
        Assert.Equal(8, c.Agents);
        Assert.Equal("qgm", c.Algorithm.Name);
        Assert.Equal(0.2, c.Optimizer.Lr);
        Assert.Equal(0.01, c.Partition.Alpha);
        Assert.Equal(32, c.Optimizer.BatchSize); // untouched default
    }

    [Fact]
    public void Resolved_text_reloads_to_the_same_config()
    {
        var first = ExperimentConfigLoader.Load(null, ["agents=4", "dataset.path=/tmp/some path/x", "optimizer.schedule.milestones=[10, 20]"]);
        var again = ExperimentConfigLoader.Load(Write(first.ResolvedText));
        Assert.Equal(first.ResolvedText, again.ResolvedText);
        Assert.Equal("/tmp/some path/x", again.Config.Dataset.Path);
        Assert.Equal(new[] { 10, 20 }, again.Config.Optimizer.Schedule.Milestones);
    }

    [Theory]
    [InlineData("experiment.agnets = 4", "unknown key 'experiment.agnets' (nearest known key: 'experiment.agents')")]
    [InlineData("experiment.agents = four", "experiment.agents = 'four': expected an integer")]
    [InlineData("experiment.agents = 0", "experiment.agents = 0: expected an integer in [1, 100000]")]
    [InlineData("experiment.partition.alpha = 0", "experiment.partition.alpha = 0: expected a number > 0")]
    [InlineData("experiment.partition.alpha = -1", "experiment.partition.alpha = -1: expected a number > 0")]
    [InlineData("experiment.topology.kind = hypercube", "experiment.topology.kind = 'hypercube': expected one of ring")]
    [InlineData("experiment.algorithm.name = sgp", "experiment.algorithm.name = 'sgp': expected one of local | dpsgd | choco | sparse-dpsgd | qgm")]
    [InlineData("experiment.optimizer.nesterov = maybe", "experiment.optimizer.nesterov = 'maybe': expected true or false")]
    [InlineData("experiment.optimizer.schedule.milestones = 5", "experiment.optimizer.schedule.milestones: expected a list of integers")]
    [InlineData("experiment.network.latency.value = soon", "experiment.network.latency.value = 'soon': expected a duration")]
    [InlineData("experiment.mode = lockstep", "experiment.mode = 'lockstep': expected one of sync | async | realtime")]
    [InlineData("experiment.network.max-staleness = -2", "experiment.network.max-staleness = -2: expected an integer in [-1,")]
    [InlineData("experiment.compute.stragglers.slowdown = 0.5", "experiment.compute.stragglers.slowdown = 0.5: expected a number in [1,")]
    [InlineData("experiment.churn.kind = schedule", "experiment.churn.file: required when experiment.churn.kind = schedule")]
    [InlineData("experiment.network.bandwidth = fast", "experiment.network.bandwidth = 'fast': expected a rate such as 100Mbps")]
    [InlineData("experiment.network.latency.dist = pareto", "experiment.network.latency.dist = 'pareto': expected one of constant | uniform | exponential | lognormal")]
    [InlineData("experiment.device = tpu", "experiment.device = 'tpu': expected one of cpu | cuda | auto | cpu-staged")]
    [InlineData("experiment.dataset.public-fraction = 1.5", "experiment.dataset.public-fraction = 1.5: expected a number in [0, 0.99]")]
    [InlineData("experiment.optimizer.batch-size = 0", "experiment.optimizer.batch-size = 0: expected an integer in [1,")]
    [InlineData("experiment.topology.gamma = 0", "experiment.topology.gamma = 0: expected a number in [1E-09, 1]")]
    [InlineData("experiment { topology { kind = ring }\n partition { kind = pathological } }", "experiment.partition.kind = 'pathological': expected one of iid | dirichlet")]
    [InlineData("experiment.topology.kind = file", "experiment.topology.file: required when experiment.topology.kind = file")]
    public void Bad_values_give_one_line_errors_naming_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(Write(hocon)));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_file_and_bad_set_syntax_are_input_errors()
    {
        Assert.Contains("not found", Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(Path.Combine(_dir, "nope.conf"))).Message);
        Assert.Contains("expected key=value", Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["agents"])).Message);
        Assert.Contains("unknown key 'experiment.optimizer.lrr'", Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["optimizer.lrr=1"])).Message);
    }
}
