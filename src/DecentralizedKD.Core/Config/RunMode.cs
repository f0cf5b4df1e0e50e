using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Config;

/// <summary><c>experiment.mode</c>: how rounds are paced.</summary>
public enum RunMode
{
    /// <summary>Lock-step rounds behind a barrier.</summary>
    Sync,

    /// <summary>Deterministic virtual time: latencies, stragglers, churn and bounded staleness are simulated exactly.</summary>
    Async,

    /// <summary>Wall-clock delays (demos); not reproducible.</summary>
    Realtime,
}

public static class RunModes
{
    public static readonly KeywordTable<RunMode> Table = new(("sync", RunMode.Sync), ("async", RunMode.Async), ("realtime", RunMode.Realtime));

    public static string Name(this RunMode mode) => Table.NameOf(mode);
}
