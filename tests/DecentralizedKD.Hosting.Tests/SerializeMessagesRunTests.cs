using Akka.Configuration;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using static DecentralizedKD.TestSupport.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// A small real experiment with <c>akka.actor.serialize-messages = on</c>: every message between the actors goes
/// through its serializer and back, so a message that cannot cross hosts, or that changes on the way, shows up here as
/// an error or a different metric. CCL exercises both payload kinds and two exchanges per iteration.
/// </summary>
[Collection("engine")]
public sealed class SerializeMessagesRunTests
{
    [Fact]
    public void A_ccl_run_through_the_wire_serializer_gives_the_same_metrics_as_without()
    {
        var loaded = ExperimentConfigLoader.Load(null,
            ["algorithm.name=ccl", "agents=4", "rounds=4", "eval-every=2", "dataset.test-samples=300", "partition.alpha=0.5",
             "model.name=mlp", "model.hidden=[32]", "threads=2"]);
        var setup = HostProcess.Build(loaded.Config);
        var plain = LocalRun.Run(setup);
        var serialized = LocalRun.Run(setup, akkaOverrides:
            ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(ClusterAkkaConfig.WireBindings()));
        Assert.Null(plain.Error);
        Assert.Null(serialized.Error);
        Assert.Equal(2, serialized.Metrics.Count);
        Assert.Equal(Deterministic(plain), Deterministic(serialized));
        Assert.Equal(plain.BytesByKind, serialized.BytesByKind);
        Assert.Equal(2, serialized.BytesByKind.Count);   // parameters and feature sums both went through their codecs
    }
}
