namespace DecentralizedKD.Core.Data;

/// <summary>The training set and the test set of one dataset, loaded once per process (agents hold index views into Train).</summary>
public sealed record TrainTestSets(Dataset Train, Dataset Test);
