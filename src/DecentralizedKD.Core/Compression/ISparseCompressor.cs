namespace DecentralizedKD.Core.Compression;

/// <summary>
/// A compressor that keeps a subset of the coordinates with their exact values (top-k, random-k). Partial model sharing
/// needs the pieces apart: which coordinates to send (chosen on one vector, e.g. the change since last shared) and the
/// values to send for them (taken from another, the parameters), and at the receiver which coordinates arrived.
/// </summary>
public interface ISparseCompressor : ICompressor
{
    /// <summary>The coordinates to keep, in ascending order, chosen on <paramref name="scores"/> for the message <paramref name="at"/>.</summary>
    int[] Choose(ReadOnlySpan<float> scores, MessageAddress at);

    /// <summary>A compressed vector carrying <paramref name="source"/> at <paramref name="coordinates"/> (from <see cref="Choose"/>).</summary>
    CompressedVector Carry(int[] coordinates, ReadOnlySpan<float> source, MessageAddress at);

    /// <summary>The coordinates <paramref name="q"/> carries, in the order of its values.</summary>
    int[] Coordinates(CompressedVector q);
}
