using System.Collections.Concurrent;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Tests;

/// <summary>A payload that carries nothing but its origin (no torch).</summary>
internal sealed record TokenPayload(int Round, int Sender) : Payload(Round, Sender)
{
    public override string Kind => "token";
    public override long Bytes => 8;
}

/// <summary>
/// Records what the engine makes it do: the (round, sender) of every payload received before each combine, and the
/// order of LocalWork/Combine calls. Optionally throws in a given round.
/// </summary>
internal sealed class FakeAlgorithm(int id, IReadOnlyList<int> neighbours, ConcurrentQueue<string> log, int failInRound = -1, int phases = 1) : IAgentAlgorithm
{
    private readonly List<(int Round, int Sender, int Phase)> _inbox = [];
    private readonly float[] _params = [id];

    public ConcurrentDictionary<(int Round, int Phase), (int Round, int Sender, int Phase)[]> Received { get; } = new();

    public void LocalWork(int round)
    {
        if (round == failInRound) throw new InvalidOperationException("boom");
        log.Enqueue($"work {round} agent {id}");
    }

    public double LastLoss => id;
    public int Phases(int round) => phases;
    public Payload? Outgoing(int round, int phase, int neighbour) => new TokenPayload(round, id) { Phase = phase };
    public int ExpectedPayloads(int round, int phase) => neighbours.Count;
    public void Receive(Payload payload) => _inbox.Add((payload.Round, payload.Sender, payload.Phase));

    public void Combine(int round, int phase)
    {
        log.Enqueue($"combine {round} phase {phase} agent {id}");
        Received[(round, phase)] = _inbox.ToArray();
        _inbox.Clear();
    }

    public ReadOnlySpan<float> Parameters => _params;
    public void Dispose() { }
}

internal sealed class FakeRuntime(FakeAlgorithm algorithm, int id) : IAgentRuntime
{
    public int Id => id;
    public IAgentAlgorithm Algorithm => algorithm;
    public double EvaluateAccuracy() => 0.5;
    public void Dispose() { }
}
