using System.Globalization;
using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Data;

/// <summary>Maps the experiment's dataset section to a loaded (cached) <see cref="TrainTestSets"/>.</summary>
public static class DatasetLoader
{
    public static readonly string[] Names = ["fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic"];

    public static TrainTestSets Load(DatasetConfig c, ulong seed)
    {
        string key = c.Name == "synthetic"
            ? string.Create(CultureInfo.InvariantCulture, $"synthetic:{c.SyntheticTrainSize}:{c.SyntheticTestSize}:{c.SyntheticClasses}:{string.Join('x', c.SyntheticShape)}:{c.SyntheticSeparability}:{seed}")
            : $"{c.Name}:{Path.GetFullPath(c.Path)}:{c.Normalize}";
        return DatasetStore.GetOrLoad(key, () => c.Name switch
        {
            "fashion-mnist" => MnistFormat.LoadFashionMnist(c.Path, c.Normalize),
            "mnist" => MnistFormat.LoadMnist(c.Path, c.Normalize),
            "cifar10" => CifarFormat.LoadCifar10(c.Path, c.Normalize),
            "cifar100" => CifarFormat.LoadCifar100(c.Path, c.Normalize),
            "synthetic" => SyntheticData.Generate(c.SyntheticTrainSize, c.SyntheticTestSize, c.SyntheticClasses, c.SyntheticShape,
                c.SyntheticSeparability, seed),
            _ => throw new InputException($"dataset '{c.Name}': expected one of {string.Join(" | ", Names)}"),
        });
    }
}
