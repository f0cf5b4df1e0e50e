using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

public sealed class PlacementTests
{
    [Fact]
    public void Blocks_are_contiguous_and_as_equal_as_possible()
    {
        var hosts = Placement.Assign(16, 3, PlacementKind.Blocks);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], hosts);
        Assert.Equal([0, 0, 0, 1, 1], Placement.Assign(5, 2, PlacementKind.Blocks));
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Placement.Assign(7, 3, PlacementKind.RoundRobin));
        Assert.Equal("0-5", Placement.Describe(Enumerable.Range(0, 6)));
        Assert.Equal("0, 3, 5-7", Placement.Describe([5, 0, 7, 3, 6]));
    }

    [Fact]
    public void More_workers_than_agents_is_an_input_error()
    {
        var e = Assert.Throws<InputException>(() => Placement.Assign(2, 3, PlacementKind.Blocks));
        Assert.Contains("experiment.cluster.workers = 3", e.Message);
    }

    [Fact]
    public void Fingerprint_ignores_host_local_keys_but_not_the_experiment()
    {
        string f = ExperimentConfigLoader.Load(null, ["agents=4"]).Fingerprint;
        Assert.Equal(f, ExperimentConfigLoader.Load(null, ["agents=4", "threads=3", "output.dir=/tmp/x", "cluster.workers=2",
            "dataset.path=/elsewhere", "cluster.chunk-size=64KB"]).Fingerprint);
        Assert.NotEqual(f, ExperimentConfigLoader.Load(null, ["agents=4", "seed=1"]).Fingerprint);
        Assert.NotEqual(f, ExperimentConfigLoader.Load(null, ["agents=5"]).Fingerprint);
    }

    [Fact]
    public void Cluster_keys_are_read_and_checked()
    {
        var o = ExperimentConfigLoader.Load(null, ["cluster.workers=3", "cluster.chunk-size=64KB", "cluster.placement=round-robin", "cluster.heartbeat-pause=30s"]).Cluster;
        Assert.Equal((3, 65536L, PlacementKind.RoundRobin, TimeSpan.FromSeconds(30)), (o.Workers, o.ChunkBytes, o.Placement, o.HeartbeatPause));
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["cluster.placement=random"]));
        Assert.Contains("experiment.cluster.placement", e.Message);
        Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["cluster.chunk-size=lots"]));
    }
}
