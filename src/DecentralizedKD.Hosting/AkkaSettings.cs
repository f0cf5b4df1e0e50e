using Akka.Configuration;

namespace DecentralizedKD.Hosting;

/// <summary>Builds the actor-system config from the embedded hocon/akka.conf plus the run's compute thread count.</summary>
public static class AkkaSettings
{
    public const string ComputeDispatcher = "akka.actor.compute-dispatcher";

    public static int ComputeThreads(int configured) => configured > 0 ? configured : Environment.ProcessorCount;

    public static Akka.Configuration.Config ForLocalRun(int computeThreads)
    {
        var baseConfig = ConfigurationFactory.ParseString(EmbeddedText.Read("DecentralizedKD.akka.conf"));
        var threads = new HoconBuilder().Set(ComputeDispatcher + ".dedicated-thread-pool.thread-count", computeThreads).Build();
        return threads.WithFallback(baseConfig);
    }

}
