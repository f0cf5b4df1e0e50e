using System.Globalization;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Data;

/// <summary><c>dataset.synthetic</c>: the size, classes, sample shape and class separation of the generated data.</summary>
public sealed record SyntheticDatasetSettings(int TrainSize, int TestSize, int Classes, int[] Shape, double Separability);

public sealed class SyntheticDataset : DatasetDescriptor
{
    public override string Name => "synthetic";
    public override string Description => "seeded Gaussian class clusters of any shape (dataset.synthetic): quick tests without files";

    public override ConfigSection Section { get; } = OwnSection("synthetic",
        """
        train-size = 6000
        test-size = 1000
        classes = 10
        shape = [1, 28, 28]
        separability = 2.0
        """,
        r =>
        {
            var s = new SyntheticDatasetSettings(r.Int("train-size", 1, int.MaxValue), r.Int("test-size", 1, int.MaxValue),
                r.Int("classes", 2, 10_000), r.IntList("shape", 1, 4096), r.Double("separability", 0, 1e6));
            if (s.Shape.Length == 0) throw new InputException($"{r.Key("shape")}: expected a non-empty list of positive integers");
            return s;
        }, listKeys: ["shape"]);

    public override string CacheKey(DatasetConfig config, ulong seed)
    {
        var s = config.Settings.Get<SyntheticDatasetSettings>();
        return string.Create(CultureInfo.InvariantCulture, $"synthetic:{s.TrainSize}:{s.TestSize}:{s.Classes}:{string.Join('x', s.Shape)}:{s.Separability}:{seed}");
    }

    public override TrainTestSets Load(DatasetConfig config, ulong seed)
    {
        var s = config.Settings.Get<SyntheticDatasetSettings>();
        return SyntheticData.Generate(s.TrainSize, s.TestSize, s.Classes, s.Shape, s.Separability, seed);
    }
}
