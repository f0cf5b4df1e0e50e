using TorchSharp;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// Builds models deterministically: after construction every parameter is re-initialised (PyTorch's default scheme,
/// see <see cref="ParameterInit"/>) from a generator seeded with <c>seed</c> and owned by this call. The same seed
/// gives bit-identical weights whichever thread builds the model and whatever other threads draw from libtorch's
/// process-global generator meanwhile; the global generator is neither reseeded nor relied on.
/// </summary>
public static class ModelFactory
{
    public static ClassifierModel Create(ModelSpec spec, long seed)
    {
        Validate(spec);
        ClassifierModel model = spec.Name switch
        {
            "mlp" => new Mlp(spec.InputShape.Aggregate(1, (a, b) => a * b), spec.Hidden ?? ModelSpec.DefaultHidden, spec.NumClasses),
            "lenet5" => new LeNet5(spec.InputShape[0], spec.InputShape[1], spec.NumClasses),
            "resnet20" => new ResNet20(spec.InputShape[0], spec.NumClasses),
            _ => throw new InputException(UnknownName(spec.Name)),
        };
        if (spec.Heads > 1) model = new MultiHeadModel(model, spec.Heads - 1);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        ParameterInit.Reset(model, generator);
        return model;
    }

    private static string UnknownName(string name) => $"model '{name}': expected one of {string.Join(" | ", ModelSpec.Names)}";

    private static void Validate(ModelSpec spec)
    {
        if (!ModelSpec.Names.Contains(spec.Name)) throw new InputException(UnknownName(spec.Name));
        string shape = $"[{string.Join(", ", spec.InputShape)}]";
        if (spec.InputShape.Length == 0 || spec.InputShape.Any(d => d < 1))
            throw new InputException($"model '{spec.Name}': input shape {shape} must have positive dimensions");
        if (spec.NumClasses < 2) throw new InputException($"model '{spec.Name}': {spec.NumClasses} classes, expected >= 2");
        if (spec.Heads < 1) throw new InputException($"model.heads = {spec.Heads}: expected >= 1");
        if (spec.Hidden is { } hidden && hidden.Any(h => h < 1))
            throw new InputException($"model 'mlp': hidden widths [{string.Join(", ", hidden)}] must be positive");
        if (spec.Name is "lenet5" or "resnet20" && spec.InputShape.Length != 3)
            throw new InputException($"model '{spec.Name}' needs image inputs C×H×W, got shape {shape}");
        if (spec.Name == "lenet5" && (spec.InputShape[1] != spec.InputShape[2] || spec.InputShape[1] < 16))
            throw new InputException($"model 'lenet5' needs square images of side >= 16, got {spec.InputShape[1]}×{spec.InputShape[2]}");
    }
}
