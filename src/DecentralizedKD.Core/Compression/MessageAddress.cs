namespace DecentralizedKD.Core.Compression;

/// <summary>Which message a compressed vector is: its sender, round and exchange (the payload's Sender, Round and Phase).</summary>
public readonly record struct MessageAddress(int Round, int Sender, int Exchange = 0);
