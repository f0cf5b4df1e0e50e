using System.Security.Cryptography;
using System.Text;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// The secret shared by the hosts of one cluster run (taken from an environment variable, never from a file). It never
/// travels: a node proves it knows the secret with an HMAC-SHA256 over a fresh nonce, the experiment fingerprint, its
/// own address and its role, which the other side recomputes. Binding the address means a proof cannot be replayed by
/// another member; binding the role means a worker's proof cannot stand in for the coordinator's. The key is never
/// printed (<see cref="ToString"/>).
/// </summary>
public sealed class RunSecret
{
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    private const int NonceBytes = 32;
    private readonly byte[] _key;

    public RunSecret(string secret)
    {
        if (string.IsNullOrEmpty(secret)) throw new ArgumentException("a run secret cannot be empty", nameof(secret));
        _key = Encoding.UTF8.GetBytes(secret);
    }

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceBytes);

    /// <summary>The proof that the node at <paramref name="address"/>, in <paramref name="role"/>, knows the secret.</summary>
    public byte[] Prove(string role, byte[] nonce, string fingerprint, string address)
    {
        // Length-prefixed fields: no two different inputs give the same bytes.
        var text = Encoding.UTF8.GetBytes($"dkd-join-1\n{role.Length}:{role}\n{fingerprint.Length}:{fingerprint}\n{address.Length}:{address}\n");
        byte[] message = [.. text, .. nonce];
        return HMACSHA256.HashData(_key, message);
    }

    /// <summary>Whether <paramref name="proof"/> is this secret's proof for the same fields (constant-time comparison).</summary>
    public bool Verify(byte[] proof, string role, byte[] nonce, string fingerprint, string address) =>
        nonce.Length == NonceBytes && CryptographicOperations.FixedTimeEquals(proof, Prove(role, nonce, fingerprint, address));

    public override string ToString() => "RunSecret(hidden)";
}
