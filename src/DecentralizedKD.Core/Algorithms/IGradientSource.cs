namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// What a gossip algorithm needs from the learner: the live parameter and gradient buffers (flat views that alias
/// the model) and "compute a minibatch gradient at the current parameters". The torch implementation is
/// <see cref="Training.ModelGradientSource"/>; tests use closed-form objectives.
/// </summary>
public interface IGradientSource : IDisposable
{
    Span<float> Parameters { get; }
    Span<float> Gradients { get; }

    /// <summary>Draw the next local minibatch, overwrite <see cref="Gradients"/> with ∇F_i at the current parameters, return the loss.</summary>
    double ComputeGradient();
}
