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
        var model = spec.Architecture.Build(spec);
        if (spec.Heads > 1) model = new MultiHeadModel(model, spec.Heads - 1);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        ParameterInit.Reset(model, generator);
        return model;
    }

    private static void Validate(ModelSpec spec)
    {
        string shape = $"[{string.Join(", ", spec.InputShape)}]";
        if (spec.InputShape.Length == 0 || spec.InputShape.Any(d => d < 1))
            throw new InputException($"model '{spec.Name}': input shape {shape} must have positive dimensions");
        if (spec.NumClasses < 2) throw new InputException($"model '{spec.Name}': {spec.NumClasses} classes, expected >= 2");
        if (spec.Heads < 1) throw new InputException($"model.heads = {spec.Heads}: expected >= 1");
        if (spec.Heads > 1 && !spec.Architecture.SupportsHeads)
            throw new InputException($"model.heads = {spec.Heads}: model '{spec.Name}' cannot carry auxiliary heads");
        spec.Architecture.Check(spec);
    }
}
