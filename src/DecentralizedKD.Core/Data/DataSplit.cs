namespace DecentralizedKD.Core.Data;

/// <summary>Train and test halves of one dataset.</summary>
public sealed record DataSplit(Dataset Train, Dataset Test);
