using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>Defers creating the evaluator (a torch model) to its first use, on the thread that uses it (torch threads = 1).</summary>
internal sealed class LazyEvaluator(Func<IParameterEvaluator> create) : IParameterEvaluator
{
    private IParameterEvaluator? _inner;

    public double Accuracy(ReadOnlySpan<float> parameters) => (_inner ??= create()).Accuracy(parameters);

    public void Dispose()
    {
        _inner?.Dispose();
        _inner = null;
    }
}
