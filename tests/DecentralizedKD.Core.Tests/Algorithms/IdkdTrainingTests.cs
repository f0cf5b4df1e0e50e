using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Topology;

namespace DecentralizedKD.Core.Tests.Algorithms;

public sealed class IdkdTrainingTests
{
    private const int Classes = 3;
    private static readonly int[] Private = Enumerable.Range(0, 120).ToArray();
    private static readonly int[] Public = Enumerable.Range(120, 60).ToArray();

    /// <summary>One isolated IDKD agent (no neighbours) for 10 rounds, exchanging after rounds 3, 5, 7, 9; returns x and the selection size.</summary>
    private static (float[] Parameters, int Selected) Train(Dataset data)
    {
        using var model = ModelFactory.Create(new ModelSpec("mlp", [8], Classes, 1, [16]), 7);
        var pool = new PublicPool(data, Public);
        var source = new IdkdTrainingSource(model, new FlatParameters(model), data, Private, pool, 16, 11);
        var row = new MixingRow(0, 1.0, [], []);
        var qgm = new Qgm(source, row, new SgdSettings(), new LearningRateSchedule(0.1));
        // τ = 0 keeps the whole pool, so fine-tuning batches are full of public samples.
        var config = new IdkdConfig(1.0, 0.0, IdkdCalibration.Fixed, 0.1, 0.3, 0.2, LabelSelection.Support);
        using var idkd = new IdkdAlgorithm(qgm, source, model, pool, data, [], config, ExchangeSchedule.FromFractions(0.3, 0.2, 10),
            row, [new int[Classes]], null);
        for (int r = 0; r < 10; r++)
        {
            idkd.LocalWork(r);
            for (int p = 0; p < idkd.Phases(r); p++) idkd.Combine(r, p);
        }
        Assert.Equal(4, idkd.Labels.Completed);
        return (idkd.Parameters.ToArray(), idkd.Labels.Selected.Count);
    }

    [Fact]
    public void The_public_pool_labels_are_never_read_but_its_features_are()
    {
        var data = SyntheticData.Generate(180, 10, Classes, [8], 4.0, 5).Train;
        var scrambled = (int[])data.Labels.Clone();
        foreach (int i in Public) scrambled[i] = (scrambled[i] + 1) % Classes;
        var moved = (float[])data.Features.Clone();
        for (int k = 0; k < 8; k++) moved[Public[^1] * 8 + k] += 3f;

        var original = Train(data);
        Assert.Equal(Public.Length, original.Selected);
        Assert.Equal(original.Parameters, Train(new Dataset("scrambled", [8], Classes, data.Features, scrambled)).Parameters);
        Assert.NotEqual(original.Parameters, Train(new Dataset("moved", [8], Classes, moved, data.Labels)).Parameters);
    }
}
