namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>How a node turns the soft labels of its closed neighbourhood into one label per public sample.</summary>
public enum LabelSelection
{
    /// <summary>
    /// The reference code: take the whole label of the sender k whose training set holds the most samples of k's
    /// predicted class ĉ_k (partition histogram[k][ĉ_k]); lowest sender id on ties.
    /// </summary>
    Support,
    /// <summary>The abstract's "label averaging": the mean of the senders' labels.</summary>
    Average,
}

/// <summary>
/// A public sample is kept when at least one sender vouched for it, and only the senders
/// that did compete for (or are averaged into) its label.
/// </summary>
/// <remarks>
/// The reference code stores a zero vector for a sample a sender did not flag, whose argmax is class 0, so such a
/// sender can win the support selection and hand the sample an all-zero target (no loss, but it still occupies a slot
/// in the fine-tuning set). Here a sender that did not send a sample simply does not compete for it, which gives the
/// same labels wherever the zero vector would have lost and a real label where it would have won.
/// </remarks>
public static class LabelAggregation
{
    public static SoftLabels Aggregate(IReadOnlyList<(int Sender, SoftLabels Labels)> senders, IReadOnlyList<int[]> histograms,
        LabelSelection selection, int classes)
    {
        // Sender order fixes tie-breaking and float summation order, whatever order the payloads arrived in.
        var ordered = senders.OrderBy(s => s.Sender).ToArray();
        foreach (var (sender, labels) in ordered)
            if (labels.Classes != classes)
                throw new InvalidOperationException($"soft labels from agent {sender} have {labels.Classes} classes, expected {classes}");
        var vouchers = new SortedDictionary<int, List<(int Sender, SoftLabels Labels, int Row)>>();
        foreach (var (sender, labels) in ordered)
            for (int k = 0; k < labels.Count; k++)
            {
                int id = labels.PoolIds[k];
                if (!vouchers.TryGetValue(id, out var list)) vouchers[id] = list = [];
                list.Add((sender, labels, k));
            }

        var ids = new int[vouchers.Count];
        var values = new float[vouchers.Count * classes];
        int slot = 0;
        foreach (var (id, list) in vouchers)
        {
            ids[slot] = id;
            var target = values.AsSpan(slot * classes, classes);
            if (selection == LabelSelection.Support) Select(list, histograms).CopyTo(target);
            else Average(list, target);
            slot++;
        }
        return new SoftLabels(ids, values, classes);
    }

    private static ReadOnlySpan<float> Select(List<(int Sender, SoftLabels Labels, int Row)> list, IReadOnlyList<int[]> histograms)
    {
        var best = list[0];
        int bestSupport = histograms[best.Sender][best.Labels.PredictedClass(best.Row)];
        foreach (var v in list.Skip(1))
        {
            int support = histograms[v.Sender][v.Labels.PredictedClass(v.Row)];
            if (support > bestSupport) { best = v; bestSupport = support; }   // strict: the lower sender id keeps a tie
        }
        return best.Labels.Row(best.Row);
    }

    private static void Average(List<(int Sender, SoftLabels Labels, int Row)> list, Span<float> target)
    {
        var sum = new double[target.Length];
        foreach (var v in list)
        {
            var row = v.Labels.Row(v.Row);
            for (int c = 0; c < sum.Length; c++) sum[c] += row[c];
        }
        for (int c = 0; c < sum.Length; c++) target[c] = (float)(sum[c] / list.Count);
    }
}
