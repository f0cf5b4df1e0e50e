namespace DecentralizedKD.Core.Compression;

/// <summary>
/// The compressors, one line each. The <c>compressor</c> key of a compressing method names one of them; the wire codec
/// finds a received vector's layout here by its scheme byte. A new compressor is its class plus one line below, with a
/// name and a wire id no other compressor has.
/// </summary>
public static class CompressorRegistry
{
    private static readonly Func<CompressorSettings, ICompressor>[] Factories =
    [
        _ => new NoCompression(),
        s => new TopK(s),
        s => new RandomK(s),
        s => new Qsgd(s),
        _ => new ScaledSign(),
    ];

    /// <summary>One instance of each, for names and layouts (it never draws).</summary>
    private static readonly ICompressor[] Layouts = Checked(Factories.Select(f => f(CompressorSettings.Layout)).ToArray());

    public static IReadOnlyList<string> Names { get; } = Layouts.Select(c => c.Name).ToArray();

    /// <summary>Each compressor's name and one-line description, for <c>dkd list compressors</c>.</summary>
    public static IEnumerable<(string Name, string Description)> Descriptions => Layouts.Select(c => (c.Name, c.Description));

    public static ICompressor Create(string name, CompressorSettings settings)
    {
        int i = Array.FindIndex(Layouts, c => c.Name == name);
        if (i < 0) throw new ArgumentException($"unknown compressor '{name}' (known: {string.Join(", ", Names)})");
        return Factories[i](settings);
    }

    /// <summary>Whether <paramref name="name"/> keeps exact values of a subset of coordinates (<see cref="ISparseCompressor"/>).</summary>
    public static bool IsSparse(string name) => Layouts.Any(c => c.Name == name && c is ISparseCompressor);

    /// <summary>The layout of a vector of scheme <paramref name="wireId"/>; <see cref="ArgumentException"/> for an unknown scheme or parameter.</summary>
    public static CompressedShape ShapeOf(byte wireId, int length, int parameter) =>
        (Layouts.FirstOrDefault(c => c.WireId == wireId) ?? throw new ArgumentException($"unknown compression scheme {wireId}"))
            .Shape(length, parameter);

    private static ICompressor[] Checked(ICompressor[] all)
    {
        if (all.Select(c => c.Name).Distinct().Count() != all.Length || all.Select(c => c.WireId).Distinct().Count() != all.Length)
            throw new InvalidOperationException("two compressors share a name or a wire id");
        return all;
    }
}
