namespace DecentralizedKD.Core.Topology;

/// <summary>One non-zero of a mixing-matrix row: agent i takes <see cref="Weight"/> times the model of <see cref="Node"/>.</summary>
public readonly record struct MixingEntry(int Node, double Weight);
