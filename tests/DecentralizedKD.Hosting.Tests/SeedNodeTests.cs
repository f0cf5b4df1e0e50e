using DecentralizedKD.Hosting.Cluster;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>The coordinator's address as dkd host reads it from --seed-node: a host and a port, or nothing.</summary>
public sealed class SeedNodeTests
{
    [Theory]
    [InlineData("akka.tcp://dkd@10.0.0.5:4053", "10.0.0.5", 4053)]
    [InlineData("akka.ssl.tcp://dkd@node-1.example:4100", "node-1.example", 4100)]
    public void An_address_with_host_and_port_is_a_seed(string text, string host, int port)
    {
        Assert.True(SeedNode.TryParse(text, out var seed));
        Assert.Equal(host, seed.Host);
        Assert.Equal(port, seed.Port);
        Assert.Equal(text, seed.ToString());
    }

    [Theory]
    [InlineData("10.0.0.5:4053")]
    [InlineData("akka.tcp://dkd")]
    [InlineData("akka.tcp://dkd@10.0.0.5")]
    [InlineData("akka.tcp://dkd@10.0.0.5:port")]
    [InlineData("")]
    public void Anything_else_is_not(string text)
    {
        Assert.False(SeedNode.TryParse(text, out var seed));
        Assert.Null(seed);
    }
}
