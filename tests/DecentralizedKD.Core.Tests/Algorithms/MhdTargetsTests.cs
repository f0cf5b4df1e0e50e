using DecentralizedKD.Core.Algorithms;
using Xunit;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>
/// MHD's target rules on raw logits with three classes, where the temperature changes which peer is most confident:
/// confidence is the largest probability of softmax(z/T), never of the raw logits. Expected values are computed by hand.
/// </summary>
public sealed class MhdTargetsTests
{
    // Peer 1: z = (1, 0, 0). Peer 2: z = (1.2, 1.0, −100). At T = 1 peer 1 is more confident (max p .576117 vs .549834);
    // at T = 10 peer 2 is (.504990 vs .355913): its two close logits flatten more slowly than peer 1's three.
    private static readonly float[] Peer1Logits = [1f, 0f, 0f];
    private static readonly float[] Peer2Logits = [1.2f, 1.0f, -100f];

    private static LogitsPayload Payload(int sender, params float[][] heads) =>
        new(0, sender, heads.Length, 1, 3, [.. heads.SelectMany(h => h)]);

    private static void AssertRow(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-5);
    }

    [Fact]
    public void Most_confident_compares_the_softened_distributions_so_the_temperature_can_change_the_winner()
    {
        LogitsPayload[] peers = [Payload(1, Peer1Logits), Payload(2, Peer2Logits)];
        // T = 1: peer 1's softmax(z) = (e, 1, 1)/(e + 2).
        AssertRow([0.576117, 0.211942, 0.211942], MhdTargets.Build(peers, 0, 1.0, MhdTargetRule.MostConfident));
        // T = 10: peer 2's softmax(z/10) = (e^.12, e^.1, e^−10)/Σ.
        AssertRow([0.504990, 0.494990, 0.000020], MhdTargets.Build(peers, 0, 10.0, MhdTargetRule.MostConfident));
    }

    [Fact]
    public void Mean_averages_the_peers_softened_distributions()
    {
        LogitsPayload[] peers = [Payload(1, Peer1Logits), Payload(2, Peer2Logits)];
        // ((.355913, .322043, .322043) + (.504990, .494990, .000020)) / 2
        AssertRow([0.430451, 0.408517, 0.161032], MhdTargets.Build(peers, 0, 10.0, MhdTargetRule.Mean));
        // T = 1: ((.576117, .211942, .211942) + (.549834, .450166, 0)) / 2
        AssertRow([0.562975, 0.331054, 0.105971], MhdTargets.Build(peers, 0, 1.0, MhdTargetRule.Mean));
    }

    [Fact]
    public void Only_the_requested_head_of_each_peer_is_read()
    {
        // Each peer sends two heads; the targets for head k + 1 come from head k alone.
        float[] uniform = [0f, 0f, 0f];
        LogitsPayload[] peers = [Payload(1, Peer1Logits, uniform), Payload(2, uniform, Peer2Logits)];
        AssertRow([0.576117, 0.211942, 0.211942], MhdTargets.Build(peers, 0, 1.0, MhdTargetRule.MostConfident));
        AssertRow([0.549834, 0.450166, 0.0], MhdTargets.Build(peers, 1, 1.0, MhdTargetRule.MostConfident));
        AssertRow([(0.576117 + 1.0 / 3) / 2, (0.211942 + 1.0 / 3) / 2, (0.211942 + 1.0 / 3) / 2],
            MhdTargets.Build(peers, 0, 1.0, MhdTargetRule.Mean));
    }
}
