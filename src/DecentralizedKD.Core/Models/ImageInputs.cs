namespace DecentralizedKD.Core.Models;

/// <summary>The check every convolutional model makes: its inputs are images C×H×W.</summary>
public static class ImageInputs
{
    public static void Require(ModelSpec spec)
    {
        if (spec.InputShape.Length != 3)
            throw new InputException($"model '{spec.Name}' needs image inputs C×H×W, got shape [{string.Join(", ", spec.InputShape)}]");
    }
}
