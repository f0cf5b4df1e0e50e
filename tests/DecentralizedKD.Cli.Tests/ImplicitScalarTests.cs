using System.Reflection;
using DecentralizedKD.Core.Models;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// The engine never lets TorchSharp create a Scalar it does not hold (see ScalarOps): such a Scalar can be freed by the
/// GC finalizer during the native call, which fails a run now and then with a libtorch "toFloat … Expected false to
/// be true" error. A CI run of a test that used TorchSharp's SGD in a 1000-step loop failed exactly so.
/// </summary>
public sealed class ImplicitScalarTests
{
    private static readonly Assembly[] EngineAssemblies =
    [
        typeof(ScalarOps).Assembly,                                          // Core
        typeof(DecentralizedKD.Actors.AgentActor).Assembly,                  // Actors
        typeof(DecentralizedKD.Hosting.Validation.PreflightStage).Assembly,  // Hosting
        typeof(Dkd).Assembly,                                                // Cli (dkd)
    ];

    [Fact]
    public void Engine_code_creates_no_Scalar_it_does_not_hold()
    {
        var findings = ImplicitScalarScanner.Scan(EngineAssemblies);
        Assert.True(findings.Count == 0, "implicit TorchSharp Scalars (use ScalarOps or a held ToScalar()):\n" + string.Join("\n", findings));
    }

    [Fact]
    public void The_scanner_finds_the_forms_that_failed_before()
    {
        // This class's own probes below: operator with a number, tensor + tensor (alpha = 1 inside), arange(n).
        var findings = ImplicitScalarScanner.Scan([typeof(Probes).Assembly])
            .Where(f => f.StartsWith(typeof(Probes).FullName!, StringComparison.Ordinal)).ToList();
        bool Found(string probe, string callee) =>
            findings.Any(f => f.Contains($".{probe} calls {callee}", StringComparison.Ordinal));
        Assert.True(Found("TimesHalf", "Tensor.op_Multiply(Tensor, Double)"), string.Join("\n", findings));
        Assert.True(Found("Sum", "Tensor.op_Addition(Tensor, Tensor)"), string.Join("\n", findings));
        Assert.True(Found("Range", "torch.arange("), string.Join("\n", findings));
        Assert.DoesNotContain(findings, f => f.Contains(".HeldScalar calls", StringComparison.Ordinal));
    }

    /// <summary>Never run; only their IL is read.</summary>
    private static class Probes
    {
        public static TorchSharp.torch.Tensor TimesHalf(TorchSharp.torch.Tensor t) => t * 0.5;
        public static TorchSharp.torch.Tensor Sum(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a + b;
        public static TorchSharp.torch.Tensor Range(long n) => TorchSharp.torch.arange(n);
        public static TorchSharp.torch.Tensor HeldScalar(TorchSharp.torch.Tensor t) => ScalarOps.Mul(t, 0.5);
    }
}
