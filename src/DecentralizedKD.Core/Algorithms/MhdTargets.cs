using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>How the neighbours' softened predictions are combined into one target per public sample.</summary>
public enum MhdTargetRule
{
    /// <summary>Per sample, the peer whose softmax(z/T) has the highest max-probability (ties → lowest sender id).</summary>
    MostConfident,
    /// <summary>Per sample, the mean of the peers' softmax(z/T).</summary>
    Mean,
}

/// <summary>
/// MHD targets (UNCONFIRMED reconstruction): auxiliary head k of agent i is distilled towards a target
/// built from head k−1 of its neighbours. Plain C# in double precision, so the target is exact and easy to check by hand.
/// </summary>
public static class MhdTargets
{
    /// <summary>
    /// The target probabilities [samples × classes] built from head <paramref name="peerHead"/> of every peer.
    /// <paramref name="peers"/> must be sorted by sender id (the tie-break of the most-confident rule relies on it).
    /// </summary>
    public static float[] Build(IReadOnlyList<LogitsPayload> peers, int peerHead, double temperature, MhdTargetRule rule)
    {
        if (peers.Count == 0) throw new ArgumentException("no peers to build a target from", nameof(peers));
        int n = peers[0].Samples, c = peers[0].Classes;
        var target = new float[n * c];
        var probs = new double[c];
        var best = new double[c];
        var sum = new double[c];
        for (int s = 0; s < n; s++)
        {
            double bestConfidence = double.NegativeInfinity;
            Array.Clear(sum);
            foreach (var peer in peers)
            {
                double confidence = Softmax(peer.Head(peerHead).Slice(s * c, c), temperature, probs);
                if (rule == MhdTargetRule.Mean)
                    for (int k = 0; k < c; k++) sum[k] += probs[k];
                else if (confidence > bestConfidence) // strict: on a tie the earlier (lower-id) peer stays
                {
                    bestConfidence = confidence;
                    probs.CopyTo(best, 0);
                }
            }
            var row = target.AsSpan(s * c, c);
            for (int k = 0; k < c; k++) row[k] = (float)(rule == MhdTargetRule.Mean ? sum[k] / peers.Count : best[k]);
        }
        return target;
    }

    /// <summary>softmax(z/T) into <paramref name="probs"/>; returns the largest probability.</summary>
    public static double Softmax(ReadOnlySpan<float> logits, double temperature, Span<double> probs)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z / temperature);
        double total = 0;
        for (int k = 0; k < logits.Length; k++) total += probs[k] = Math.Exp(logits[k] / temperature - max);
        double top = 0;
        for (int k = 0; k < logits.Length; k++) top = Math.Max(top, probs[k] /= total);
        return top;
    }

    /// <summary>The words <c>algorithm.mhd.target</c> accepts.</summary>
    public static readonly Plugins.KeywordTable<MhdTargetRule> Rules = new(("most-confident", MhdTargetRule.MostConfident), ("mean", MhdTargetRule.Mean));
}
