using DecentralizedKD.TestSupport;
using System.Reflection;
using System.Reflection.Emit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// Finds calls in compiled code that make TorchSharp create a <c>Scalar</c> the caller does not hold: a direct
/// <c>Scalar</c> implicit conversion (<c>t * 0.5</c>, <c>t.mul_(2)</c>), or a TorchSharp method that makes one inside
/// (<c>a + b</c> passes alpha = 1, <c>arange(n)</c>, optimizers' <c>step</c>). TorchSharp 0.107 hands only the raw handle of
/// such a Scalar to native code, so the GC finalizer can free it mid-call (see ScalarOps). Explicit
/// <c>ToScalar()</c> is allowed: that is how ScalarOps holds the Scalar for the call.
/// It reads IL with reflection: every method of the given assemblies (lambdas included, as nested types), and
/// TorchSharp's own methods transitively up to <see cref="MaxDepth"/> calls deep.
/// </summary>
public static class ImplicitScalarScanner
{
    private const int MaxDepth = 6;
    /// <summary>One "Type.Method calls Callee: why" line per offending call site.</summary>
    public static IReadOnlyList<string> Scan(IEnumerable<Assembly> assemblies)
    {
        var memo = new Dictionary<MethodBase, string?>();
        var findings = new List<string>();
        foreach (var assembly in assemblies)
        foreach (var type in assembly.GetTypes())
        foreach (var method in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                               BindingFlags.Instance | BindingFlags.DeclaredOnly).OfType<MethodBase>())
        foreach (var callee in Callees(method).Where(c => c.Name != "ToScalar"))   // an explicit ToScalar() is held by its caller
        {
            string? why = IsImplicitConversion(callee) ? "implicit Scalar conversion"
                : IsTorchSharp(callee) ? CreatesScalarInside(callee, 0, memo) : null;
            if (why != null) findings.Add($"{type.FullName}.{method.Name} calls {Describe(callee)}: {why}");
        }
        return findings;
    }

    private static bool IsTorchSharp(MethodBase m) => m.DeclaringType?.Assembly.GetName().Name == "TorchSharp";

    private static bool IsImplicitConversion(MethodBase m) =>
        m.DeclaringType?.FullName == "TorchSharp.Scalar" && m.Name == "op_Implicit";

    /// <summary>Conversions that create a Scalar: the implicit operator, or TorchSharp's own ToScalar/native *_to_scalar.</summary>
    private static bool CreatesScalar(MethodBase m) =>
        IsImplicitConversion(m) || IsTorchSharp(m) && (m.Name == "ToScalar" || m.Name.EndsWith("_to_scalar", StringComparison.Ordinal));

    private static string? CreatesScalarInside(MethodBase method, int depth, Dictionary<MethodBase, string?> memo)
    {
        if (memo.TryGetValue(method, out var known)) return known;
        if (depth > MaxDepth || method.DeclaringType?.FullName == "TorchSharp.Scalar") return null;
        memo[method] = null;                                       // cycles end here
        string? found = null;
        foreach (var callee in Callees(method))
        {
            if (CreatesScalar(callee)) { found = $"{Describe(method)} creates one via {Describe(callee)}"; break; }
            if (!IsTorchSharp(callee) || callee.DeclaringType!.FullName!.StartsWith("TorchSharp.PInvoke", StringComparison.Ordinal)) continue;
            var inner = CreatesScalarInside(callee, depth + 1, memo);
            if (inner != null) { found = $"{Describe(method)} → {inner}"; break; }
        }
        memo[method] = found;
        return found;
    }

    private static string Describe(MethodBase m) =>
        $"{m.DeclaringType?.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>The methods a method body calls (call, callvirt, newobj, ldftn operands).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method) =>
        IlOperands.Of(method).Where(o => o.Kind == OperandType.InlineMethod).Select(o => o.Member).OfType<MethodBase>();
}
