using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// Payloads held by (round, phase) until that exchange is combined. Synchronous engines deliver a phase's payloads
/// just before combining it; in asynchronous runs a payload can arrive before its phase (the receiver is still
/// training) or after it (it waited in vain and moved on), so late ones are discarded once a later exchange is taken.
/// </summary>
public sealed class PhaseInbox
{
    private readonly Dictionary<(int Round, int Phase), SortedDictionary<int, Payload>> _held = [];

    /// <summary>Nothing held: true at every synchronous round boundary (checkpoints check it).</summary>
    public bool IsEmpty => _held.Count == 0;

    public void Add(Payload payload)
    {
        var key = (payload.Round, payload.Phase);
        if (!_held.TryGetValue(key, out var bySender)) _held[key] = bySender = [];
        bySender[payload.Sender] = payload;
    }

    /// <summary>The payloads of (round, phase) in sender order; everything held for this or an earlier exchange is removed.</summary>
    public IReadOnlyList<Payload> Take(int round, int phase)
    {
        var taken = _held.TryGetValue((round, phase), out var bySender) ? bySender.Values.ToArray() : [];
        foreach (var key in _held.Keys.Where(k => k.Round < round || (k.Round == round && k.Phase <= phase)).ToArray())
            _held.Remove(key);
        return taken;
    }
}
