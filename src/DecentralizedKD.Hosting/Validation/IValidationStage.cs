namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// One step of <see cref="ValidationPipeline"/>. A stage either passes or throws one
/// <see cref="Core.InputException"/> line naming the key or file and what was expected (the CLI prints it, exit 2).
/// </summary>
public interface IValidationStage
{
    /// <summary>Short name, in order: syntax, keys, values, cross-key, setup, preflight, checkpoints, devices, cluster.</summary>
    string Name { get; }

    void Run(ValidationContext context);
}
