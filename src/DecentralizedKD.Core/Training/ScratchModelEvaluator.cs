using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Evaluates any parameter vector of one model kind (e.g. the averaged model x̄, or one agent's final parameters) by
/// loading it into one scratch model of that kind.
/// </summary>
public sealed class ScratchModelEvaluator(RunPlan plan, ComputeDevice device, ModelSpec spec) : IParameterEvaluator
{
    private readonly ClassifierModel _model = ModelFactory.Create(spec, plan.InitSeed);
    private FlatParameters? _flat;

    /// <summary>For the model every agent has (the averaged model exists only then).</summary>
    public ScratchModelEvaluator(RunPlan plan, ComputeDevice device) : this(plan, device, plan.ModelSpec) { }

    public double Accuracy(ReadOnlySpan<float> parameters)
    {
        _flat ??= new FlatParameters(_model, device);
        _flat.CopyFrom(parameters);
        return ModelEvaluator.Accuracy(_model, plan.Data.Test, plan.Config.Dataset.TestSamples);
    }

    /// <summary>Per-class test accuracies of every head ([head][class], head 0 = main) of a parameter vector.</summary>
    public double[][] HeadClassAccuracies(ReadOnlySpan<float> parameters)
    {
        _flat ??= new FlatParameters(_model, device);
        _flat.CopyFrom(parameters);
        return ModelEvaluator.HeadClassAccuracies(_model, plan.Data.Test, plan.Config.Dataset.TestSamples);
    }

    public void Dispose()
    {
        _flat?.Dispose();
        _model.Dispose();
    }
}
