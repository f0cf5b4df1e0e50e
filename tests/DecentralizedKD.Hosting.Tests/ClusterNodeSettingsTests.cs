using DecentralizedKD.Hosting.Cluster;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// A cluster node's own settings reach Akka as typed values: each is read back from the node's whole config where
/// Akka reads it, and a hostname cannot break out of its value into other keys.
/// </summary>
public sealed class ClusterNodeSettingsTests
{
    private static ClusterNodeSettings Node(NodeEndpoint endpoint) =>
        new(ClusterAkkaConfig.CoordinatorRole, endpoint, ComputeThreads: 3, ChunkBytes: 1024 * 1024, Workers: 4, HeartbeatPause: TimeSpan.FromSeconds(20), Tls: true);

    [Fact]
    public void Every_setting_is_read_back_where_Akka_reads_it_over_the_embedded_files()
    {
        var config = ClusterAkkaConfig.ForNode(Node(new NodeEndpoint("10.0.0.5", 4053, "node-1.example")));
        Assert.Equal("10.0.0.5", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("node-1.example", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(1024 * 1024 + ClusterAkkaConfig.FrameMargin, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(["coordinator"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(4, config.GetInt("akka.cluster.role.worker.min-nr-of-members"));
        Assert.Equal(TimeSpan.FromSeconds(20), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(20), config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(3, config.GetInt("akka.actor.compute-dispatcher.dedicated-thread-pool.thread-count"));
        // The embedded layers underneath: cluster.conf, wire.conf and akka.conf.
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("DecentralizedKD.Hosting.Wire.WireSerializer, DecentralizedKD.Hosting", config.GetString("akka.actor.serializers.dkd-wire"));
        Assert.Equal("ForkJoinDispatcher", config.GetString("akka.actor.compute-dispatcher.type"));
    }

    [Fact]
    public void The_node_settings_are_written_one_typed_line_each()
    {
        Assert.Equal("""
            akka.remote.dot-netty.tcp.hostname = "127.0.0.1"
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.maximum-frame-size = 1114112b
            akka.remote.dot-netty.tcp.enable-ssl = on
            akka.cluster.roles = ["coordinator"]
            akka.cluster.role.worker.min-nr-of-members = 4
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 20000ms
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 20000ms

            """.Replace("\r\n", "\n"), Node(new NodeEndpoint()).ToHocon().ToString());
    }

    [Fact]
    public void A_hostname_with_quotes_backslashes_and_newlines_stays_one_value()
    {
        const string hostile = "evil\"\nakka.cluster.roles = [worker]\n# \\ \t}";
        var config = ClusterAkkaConfig.ForNode(Node(new NodeEndpoint(hostile, 0, hostile)));
        Assert.Equal(hostile, config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(hostile, config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(["coordinator"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void Without_a_public_hostname_none_is_set()
    {
        var config = ClusterAkkaConfig.ForNode(Node(new NodeEndpoint()));
        Assert.False(config.HasPath("akka.remote.dot-netty.tcp.public-hostname"));
    }

    [Fact]
    public void A_path_that_is_not_plain_keys_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new HoconBuilder().Set("akka.x = 1\nakka.y", 2));
        Assert.StartsWith("not a HOCON path of plain keys: 'akka.x = 1", e.Message);
    }
}
