namespace DecentralizedKD.Core.Optimization;

/// <summary>Momentum SGD hyper-parameters shared by every gossip method.</summary>
public sealed record SgdSettings(double Momentum = 0.9, bool Nesterov = false, double WeightDecay = 1e-4);
