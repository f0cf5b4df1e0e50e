namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// A FedDKD client's distillation objective D_k(w) = mean over its data of KL(softmax(h(x; w_k)/T) ‖ softmax(h(x; w)/T))·T²,
/// with its own current model w_k as the teacher. The torch implementation is
/// <see cref="Training.DistillationGradient"/>; tests may use closed forms.
/// </summary>
public interface IDistillationGradient : IDisposable
{
    /// <summary>The teacher's parameters changed (new local training or a new global model): drop cached predictions.</summary>
    void TeacherChanged();

    /// <summary>Overwrites <paramref name="gradient"/> with ∇_w D_k at <paramref name="student"/> and returns D_k(student).</summary>
    double Compute(ReadOnlySpan<float> student, Span<float> gradient);
}
