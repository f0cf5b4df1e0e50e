using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Tests;

/// <summary>A payload that counts how often its holders let go of it (a pooled payload returns its buffer then).</summary>
internal sealed record ReleaseCountingPayload(int Round, int Sender) : Payload(Round, Sender)
{
    private int _releases;

    public int Releases => Volatile.Read(ref _releases);
    public override string Kind => "counted";
    public override long Bytes => 8;
    public override void Release() => Interlocked.Increment(ref _releases);
}
