using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Training;

/// <summary>Evaluates any parameter vector (e.g. the averaged model x̄) by loading it into one scratch model.</summary>
public sealed class ScratchModelEvaluator(ExperimentSetup setup, ComputeDevice device) : IParameterEvaluator
{
    private readonly ClassifierModel _model = ModelFactory.Create(setup.ModelSpec, setup.InitSeed);
    private FlatParameters? _flat;

    public double Accuracy(ReadOnlySpan<float> parameters)
    {
        _flat ??= new FlatParameters(_model, device);
        _flat.CopyFrom(parameters);
        return ModelEvaluator.Accuracy(_model, setup.Data.Test, setup.Config.Dataset.TestSamples);
    }

    /// <summary>Per-class test accuracies of every head ([head][class], head 0 = main) of a parameter vector.</summary>
    public double[][] HeadClassAccuracies(ReadOnlySpan<float> parameters)
    {
        _flat ??= new FlatParameters(_model, device);
        _flat.CopyFrom(parameters);
        return ModelEvaluator.HeadClassAccuracies(_model, setup.Data.Test, setup.Config.Dataset.TestSamples);
    }

    public void Dispose()
    {
        _flat?.Dispose();
        _model.Dispose();
    }
}
