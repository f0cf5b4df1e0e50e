using System.Reflection;
using System.Text;

namespace DecentralizedKD.Hosting;

/// <summary>Text files embedded in this assembly (hocon/defaults.conf, hocon/akka.conf), so the CLI works from any directory.</summary>
internal static class EmbeddedText
{
    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
