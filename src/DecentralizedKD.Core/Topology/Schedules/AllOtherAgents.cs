using System.Collections;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>0..n−1 without one agent, ascending, computed on access: a random schedule may pair an agent with anyone,
/// and n lists of n − 1 ids would cost n² memory at thousands of agents.</summary>
public sealed class AllOtherAgents(int agents, int self) : IReadOnlyList<int>
{
    public int Count => agents - 1;

    public int this[int index] => (uint)index < (uint)Count ? (index < self ? index : index + 1) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<int> GetEnumerator()
    {
        for (int k = 0; k < Count; k++) yield return this[k];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
