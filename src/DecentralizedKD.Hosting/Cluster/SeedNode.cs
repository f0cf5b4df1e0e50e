using System.Diagnostics.CodeAnalysis;
using Akka.Actor;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// The address of a coordinator node, which workers join: <c>akka.tcp://dkd@HOST:PORT</c>, or <c>akka.ssl.tcp://</c>
/// when the cluster uses TLS. The command line passes it around and prints it without depending on Akka.
/// </summary>
public sealed class SeedNode : IEquatable<SeedNode>
{
    private SeedNode(Address address) => Address = address;

    internal Address Address { get; }

    public string Host => Address.Host!;
    public int Port => Address.Port!.Value;

    internal static SeedNode Of(Address address) => new(address);

    /// <summary>An address with a host and a port (what a coordinator prints when it starts); false for anything else, an address without a port included.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SeedNode? seed)
    {
        seed = null;
        try
        {
            var address = Address.Parse(text);
            if (address.Host is null || address.Port is not > 0) return false;
            seed = new SeedNode(address);
            return true;
        }
        catch (Exception)
        {
            // Address.Parse throws several kinds for malformed text (bad URI, port, scheme): all mean "not an address".
            return false;
        }
    }

    public bool Equals(SeedNode? other) => other is not null && Address.Equals(other.Address);
    public override bool Equals(object? obj) => Equals(obj as SeedNode);
    public override int GetHashCode() => Address.GetHashCode();
    public override string ToString() => Address.ToString();
}
