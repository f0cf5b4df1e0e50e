using System.Reflection;
using DecentralizedKD.Cli;
using DecentralizedKD.Hosting.Cluster;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// The layering Cli → Hosting → Actors → Core: the dkd assembly may use what Hosting offers, never Akka or the actors
/// directly. Read from the compiled assembly's references (the compiler records an assembly only when code uses one of
/// its types), so a stray <c>using Akka.Actor</c> that touches an Akka type fails here.
/// </summary>
public sealed class CliLayeringTests
{
    private static bool IsAkkaOrActors(string assembly) =>
        assembly is "Akka" or "DecentralizedKD.Actors" || assembly.StartsWith("Akka.", StringComparison.Ordinal);

    private static string[] ReferencedBy(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_dkd_assembly_references_neither_Akka_nor_the_actors()
    {
        var references = ReferencedBy(typeof(Dkd).Assembly);
        Assert.Equal("dkd", typeof(Dkd).Assembly.GetName().Name);
        Assert.Contains("DecentralizedKD.Hosting", references);
        Assert.Contains("DecentralizedKD.Core", references);
        Assert.Equal<string>([], references.Where(IsAkkaOrActors));   // names the offenders when it fails
    }

    [Fact]
    public void The_check_sees_the_Akka_and_actor_references_of_the_hosting_assembly()
    {
        // The same reading on the layer below finds what the command line must not reference, so the check above can fail.
        var references = ReferencedBy(typeof(ClusterBootstrap).Assembly);
        Assert.Equal(["Akka", "Akka.Cluster", "Akka.Remote", "DecentralizedKD.Actors"], references.Where(IsAkkaOrActors));
    }
}
