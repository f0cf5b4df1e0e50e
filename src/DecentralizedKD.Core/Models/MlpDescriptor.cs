namespace DecentralizedKD.Core.Models;

public sealed class MlpDescriptor : ModelDescriptor
{
    public override string Name => "mlp";
    public override string Description => "fully connected ReLU network over the flattened input, hidden widths model.hidden";
    public override bool UsesHidden => true;

    public override void Check(ModelSpec spec)
    {
        if (spec.Hidden is { } hidden && hidden.Any(h => h < 1))
            throw new InputException($"model 'mlp': hidden widths [{string.Join(", ", hidden)}] must be positive");
    }

    public override ClassifierModel Build(ModelSpec spec) =>
        new Mlp(spec.InputShape.Aggregate(1, (a, b) => a * b), spec.Hidden ?? ModelSpec.DefaultHidden, spec.NumClasses);
}
