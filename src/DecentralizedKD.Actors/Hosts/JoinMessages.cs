namespace DecentralizedKD.Actors.Hosts;

// The run-secret handshake between the coordinator node and a worker host that joined the cluster (only when the run
// has a secret, experiment.cluster.secret-env). Every message here crosses hosts and is bound to the wire serializer.

/// <summary>
/// Coordinator node → a worker host that is Up: prove the run secret for this fresh <paramref name="Nonce"/>.
/// <paramref name="Proof"/> is the coordinator node's own proof for the same nonce, so the worker knows whom to take
/// its assignment from. Resent until answered.
/// </summary>
public sealed record JoinChallenge(byte[] Nonce, byte[] Proof);

/// <summary>Worker host → coordinator node: its proof for the challenge's nonce (empty when it has no run secret).</summary>
public sealed record JoinProof(byte[] Nonce, byte[] Proof);

/// <summary>Coordinator node → worker host: it is not admitted to the run (and is downed); the worker stops with <paramref name="Reason"/>.</summary>
public sealed record JoinRefused(string Reason);
