using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// One node's side of IDKD's label exchanges, free of models and tensors. At the first
/// exchange the node sends what its own OoD detector kept; at every later one it re-sends the labels it selected at the
/// previous exchange (as the reference code does, without re-scoring), so a label travels one more hop per exchange.
/// It then aggregates over its closed neighbourhood: its own payload plus whatever neighbour payloads of this exchange
/// arrived (in asynchronous runs a missing one is simply absent).
/// </summary>
public sealed class LabelExchange(int self, IReadOnlyList<int[]> histograms, LabelSelection selection, int classes)
{
    private readonly Dictionary<(int Sender, int Round), SoftLabels> _received = [];
    private SoftLabelPayload? _outgoing;

    /// <summary>The labelled public subset this node fine-tunes on (empty before the first exchange).</summary>
    public SoftLabels Selected { get; private set; } = SoftLabels.Empty(classes);

    /// <summary>Exchanges completed so far.</summary>
    public int Completed { get; private set; }

    /// <summary>
    /// Builds this exchange's payload: <paramref name="detect"/>() (the node's own kept samples) at the first exchange,
    /// the previously selected labels afterwards. The same immutable payload goes to every neighbour.
    /// </summary>
    public SoftLabelPayload Prepare(int round, int phase, Func<SoftLabels> detect)
    {
        var labels = Completed == 0 ? detect() : Selected;
        if (labels.Classes != classes) throw new InvalidOperationException($"agent {self}: {labels.Classes}-class labels, expected {classes}");
        _outgoing = new SoftLabelPayload(round, self, labels) { Phase = phase };
        return _outgoing;
    }

    /// <summary>The payload prepared for <paramref name="round"/>, or null when none was.</summary>
    public SoftLabelPayload? Outgoing(int round) => _outgoing is { } p && p.Round == round ? p : null;

    public void Receive(SoftLabelPayload payload) => _received[(payload.Sender, payload.Round)] = payload.Labels;

    /// <summary>Aggregates this exchange's labels (own + neighbours' of the same round) into <see cref="Selected"/>.</summary>
    public SoftLabels Combine(int round)
    {
        var own = Outgoing(round) ?? throw new InvalidOperationException($"agent {self}: no label payload prepared for round {round}");
        var senders = new List<(int, SoftLabels)> { (self, own.Labels) };
        foreach (var ((sender, r), labels) in _received)
            if (r == round && sender != self) senders.Add((sender, labels));
        // Payloads of this or older exchanges are spent; a late one from an older exchange is dropped, never reused.
        foreach (var key in _received.Keys.Where(k => k.Round <= round).ToArray()) _received.Remove(key);
        Selected = LabelAggregation.Aggregate(senders, histograms, selection, classes);
        Completed++;
        return Selected;
    }

    /// <summary>
    /// Checkpoint: exchanges completed and the labels selected at the latest one (re-sent at the next exchange, which
    /// is how labels are relayed). The outgoing payload is not saved: it is prepared and used within its own round.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        // At a synchronous round boundary every received payload has been combined; one left over would be lost.
        if (_received.Count > 0)
            throw new NotSupportedException("LabelExchange holds unconsumed payloads (checkpoints are taken at synchronous round boundaries only)");
        w.WriteTag("label-exchange");
        w.Write(Completed);
        w.WriteSoftLabels(Selected);
    }

    public void LoadState(BinaryReader r, int poolCount)
    {
        r.ExpectTag("label-exchange");
        int completed = r.ReadInt32();
        if (completed < 0) throw new InvalidDataException($"label exchange: {completed} exchanges completed");
        var selected = r.ReadSoftLabels(classes, poolCount, "selected labels");
        if (completed == 0 && selected.Count > 0) throw new InvalidDataException("label exchange: labels selected before any exchange");
        Completed = completed;
        Selected = selected;
        _received.Clear();
        _outgoing = null;
    }
}
