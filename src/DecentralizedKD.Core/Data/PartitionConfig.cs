using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary><c>experiment.partition</c>: the partitioner, its shared keys, and the typed settings of every registered partitioner's section.</summary>
public sealed record PartitionConfig(PartitionerDescriptor Kind, double Alpha, int MinSamples, int ShardsPerAgent, PluginSettings Settings);
