using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>What one CHOCO message compresses as a unit (<c>algorithm.choco.scope</c>).</summary>
public enum ChocoScope
{
    /// <summary>Each parameter tensor on its own, as the official ChocoSGD code does (k, norm and scale per tensor).</summary>
    Tensor,
    /// <summary>The whole flat parameter vector at once.</summary>
    Model,
}

public static class ChocoScopes
{
    public static readonly KeywordTable<ChocoScope> Table = new(("tensor", ChocoScope.Tensor), ("model", ChocoScope.Model));

    public static string Name(this ChocoScope scope) => Table.NameOf(scope);

    /// <summary>The message compressor of <paramref name="scope"/> for a model with <paramref name="tensorLengths"/>, streams from <paramref name="seed"/>.</summary>
    public static IMessageCompressor Create(this ChocoScope scope, CompressionKeys keys, ulong seed, IReadOnlyList<int> tensorLengths) => scope switch
    {
        ChocoScope.Model => new WholeVectorCompressor(keys.Create(seed), tensorLengths.Sum()),
        _ => new PerTensorCompressor(keys.Create, seed, tensorLengths),
    };
}
