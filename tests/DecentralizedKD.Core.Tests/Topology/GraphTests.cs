using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class GraphTests
{
    [Fact]
    public void Duplicate_edges_in_either_direction_are_merged_and_neighbours_sorted()
    {
        var g = new Graph(5, [(3, 1), (1, 3), (1, 0), (4, 1), (1, 4), (2, 3)]);
        Assert.Equal(4, g.EdgeCount);
        Assert.Equal(new[] { 0, 3, 4 }, g.Neighbors(1));
        Assert.Equal(3, g.Degree(1));
        Assert.True(g.HasEdge(3, 1));
        Assert.True(g.HasEdge(1, 3));
        Assert.False(g.HasEdge(0, 4));
        Assert.False(g.HasEdge(2, 2));
        Assert.Equal(new[] { (0, 1), (1, 3), (1, 4), (2, 3) }, g.Edges());
        Assert.Equal(2 * g.EdgeCount, Enumerable.Range(0, g.Nodes).Sum(g.Degree));
    }

    [Fact]
    public void Self_loops_and_out_of_range_ids_are_caller_errors()
    {
        Assert.Throws<ArgumentException>(() => new Graph(3, [(0, 1), (2, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Graph(3, [(0, 3)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Graph(3, [(-1, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Graph(0, []));
    }

    [Fact]
    public void Components_name_the_pieces_a_disconnected_graph_falls_into()
    {
        var g = new Graph(6, [(0, 4), (4, 2), (1, 5)]);
        Assert.False(g.IsConnected());
        var components = g.Components();
        Assert.Equal(3, components.Count);
        Assert.Equal(new[] { 0, 2, 4 }, components[0]);
        Assert.Equal(new[] { 1, 5 }, components[1]);
        Assert.Equal(new[] { 3 }, components[2]);

        Assert.True(new Graph(1, []).IsConnected());
        Assert.True(new Graph(3, [(0, 1), (1, 2)]).IsConnected());
    }

    [Fact]
    public void Neighbour_lists_cannot_be_modified_through_the_interface()
    {
        var g = new Graph(3, [(0, 1), (0, 2)]);
        var list = Assert.IsAssignableFrom<IList<int>>(g.Neighbors(0));
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = 2);
    }
}
