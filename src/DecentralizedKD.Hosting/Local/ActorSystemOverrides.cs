namespace DecentralizedKD.Hosting.Local;

/// <summary>
/// Extra actor-system settings for a single-process run (tests: <c>akka.actor.serialize-messages = on</c> with the wire
/// bindings). A Hosting type, converted implicitly from an Akka config, so that <see cref="LocalRun.Run"/>'s signature
/// carries no Akka type and the command line, which calls it, never references Akka.
/// </summary>
public sealed class ActorSystemOverrides(Akka.Configuration.Config config)
{
    internal Akka.Configuration.Config Config { get; } = config;

    public static implicit operator ActorSystemOverrides(Akka.Configuration.Config config) => new(config);
}
