using TorchSharp;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// Builds models deterministically. Construction draws initial weights from libtorch's process-global generator, so
/// it is serialised under one lock and seeded right before: the same seed gives bit-identical weights whichever
/// thread builds the model and whatever other agents do concurrently.
/// </summary>
public static class ModelFactory
{
    private static readonly Lock InitLock = new();

    public static ClassifierModel Create(ModelSpec spec, long seed)
    {
        Validate(spec);
        lock (InitLock)
        {
            torch.random.manual_seed(seed);
            ClassifierModel model = spec.Name switch
            {
                "mlp" => new Mlp(spec.InputShape.Aggregate(1, (a, b) => a * b), spec.Hidden ?? [200, 200], spec.NumClasses),
                "lenet5" => new LeNet5(spec.InputShape[0], spec.InputShape[1], spec.NumClasses),
                "resnet20" => new ResNet20(spec.InputShape[0], spec.NumClasses),
                _ => throw new InputException($"model '{spec.Name}': expected one of {string.Join(" | ", ModelSpec.Names)}"),
            };
            return spec.Heads > 1 ? new MultiHeadModel(model, spec.Heads - 1) : model;
        }
    }

    private static void Validate(ModelSpec spec)
    {
        if (!ModelSpec.Names.Contains(spec.Name))
            throw new InputException($"model '{spec.Name}': expected one of {string.Join(" | ", ModelSpec.Names)}");
        if (spec.Heads < 1) throw new InputException($"model.heads = {spec.Heads}: expected >= 1");
        if (spec.Name is "lenet5" or "resnet20")
        {
            if (spec.InputShape.Length != 3)
                throw new InputException($"model '{spec.Name}' needs image inputs C×H×W, got shape [{string.Join(", ", spec.InputShape)}]");
            if (spec.Name == "lenet5" && (spec.InputShape[1] != spec.InputShape[2] || spec.InputShape[1] < 16))
                throw new InputException($"model 'lenet5' needs square images of side >= 16, got {spec.InputShape[1]}×{spec.InputShape[2]}");
        }
    }
}
