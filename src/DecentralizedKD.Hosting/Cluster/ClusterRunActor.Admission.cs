using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using DecentralizedKD.Actors.Hosts;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// Which workers take part in the run. Without a run secret, every worker that comes Up (until the run is placed). With
/// one, a worker that comes Up is challenged (<see cref="JoinChallenge"/>, resent until answered) and admitted only
/// when its proof holds for its own address; any other is refused with one log line, told why and downed.
/// </summary>
public sealed partial class ClusterRunActor
{
    private sealed record ResendChallenges;
    private sealed record DownRefused(Address Address);

    /// <summary>How long a refused worker gets to read why and leave by itself before it is downed.</summary>
    private static readonly TimeSpan RefusedGrace = TimeSpan.FromSeconds(2);

    // With a run secret: workers Up but not yet proven (their challenge's nonce), and those refused for good.
    private readonly Dictionary<Address, (Member Member, byte[] Nonce)> _challenged = [];
    private readonly HashSet<Address> _refused = [];

    private void OnMemberUp(Member member)
    {
        if (Assigned || !member.HasRole(ClusterAkkaConfig.WorkerRole) || _up.Contains(member)) return;
        if (_settings.Secret is null)
        {
            Admit(member);
            return;
        }
        if (_refused.Contains(member.Address) || _challenged.ContainsKey(member.Address)) return;
        _challenged[member.Address] = (member, RunSecret.NewNonce());
        SendChallenge(member.Address);
    }

    private IActorRef HostActorAt(Address address) =>
        ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(new RootActorPath(address) / "user" / "host");

    /// <summary>Asks the worker at <paramref name="address"/> to prove the run secret, proving it ourselves for the same nonce.</summary>
    private void SendChallenge(Address address)
    {
        byte[] nonce = _challenged[address].Nonce;
        byte[] proof = _settings.Secret!.Prove(RunSecret.CoordinatorRole, nonce, _settings.Fingerprint, _cluster.SelfAddress.ToString());
        HostActorAt(address).Tell(new JoinChallenge(nonce, proof), Self);
    }

    /// <summary>A worker's answer: admitted to the run when it proves the secret for its own address, else refused and downed.</summary>
    private void OnProof(JoinProof m)
    {
        var address = Sender.Path.Address;
        if (_settings.Secret is not { } secret || !_challenged.TryGetValue(address, out var challenged)) return;   // late or unasked
        if (!m.Nonce.AsSpan().SequenceEqual(challenged.Nonce)) return;   // not an answer to this challenge
        _challenged.Remove(address);
        if (m.Proof.Length == 0) Refuse(address, "has no run secret (experiment.cluster.secret-env is not set on that host)");
        else if (!secret.Verify(m.Proof, RunSecret.WorkerRole, challenged.Nonce, _settings.Fingerprint, address.ToString()))
            Refuse(address, "does not prove the run secret (a different secret in its experiment.cluster.secret-env)");
        else if (!Assigned) Admit(challenged.Member);
    }

    /// <summary>
    /// One log line per refused worker; it is told why, then downed so it is out of the cluster whether it leaves or
    /// not — after a moment, since downing it at once could overtake the message that tells it why.
    /// </summary>
    private void Refuse(Address address, string why)
    {
        _refused.Add(address);
        _log.Warning("coordinator node: refused worker {0}: it {1}", address, why);
        HostActorAt(address).Tell(new JoinRefused($"the coordinator node {_cluster.SelfAddress} refused this worker: it {why}"), Self);
        Timers.StartSingleTimer($"down-{address}", new DownRefused(address), RefusedGrace);
    }
}
