using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// Every plug-in kind's registry, in the order <c>dkd list</c> shows them. Validation walks this list to merge each
/// plug-in's own section into the defaults, read it, and decide what config.conf shows, so a new kind of plug-in is
/// its registry plus one line here.
/// </summary>
public static class PluginCatalog
{
    public static IReadOnlyList<IPluginRegistry> Registries { get; } =
    [
        AlgorithmRegistry.Registry,
        ModelRegistry.Registry,
        DatasetRegistry.Registry,
        PartitionerRegistry.Registry,
        TopologyKindRegistry.Registry,
        ScheduleRegistry.Registry,
    ];

    /// <summary>Every registered plug-in of every kind with its registry, in catalog order.</summary>
    public static IEnumerable<(IPluginRegistry Registry, IPlugin Plugin)> All =>
        Registries.SelectMany(r => r.Plugins.Select(p => (r, p)));
}
