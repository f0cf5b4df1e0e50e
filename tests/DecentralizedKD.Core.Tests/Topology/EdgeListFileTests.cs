using DecentralizedKD.Core.Topology;
using Xunit;

namespace DecentralizedKD.Core.Tests.Topology;

public sealed class EdgeListFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-edges-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Comments_blank_lines_separators_and_duplicates_are_handled()
    {
        string path = Write("good.edges",
            "# a triangle plus a tail\n# nodes: 4\n\n0 1\n1 2   # trailing comment\n\t\n2\t0\n2,3\n1 0\n  3 2  \n# done\n");
        var g = TopologyFactory.Create("file", 4, new TopologyOptions { File = path });
        Assert.Equal(4, g.Nodes);
        Assert.Equal(new[] { (0, 1), (0, 2), (1, 2), (2, 3) }, g.Edges());
        Assert.Equal(new[] { 0, 1, 3 }, g.Neighbors(2));
    }

    [Fact]
    public void Without_a_header_the_node_count_is_the_largest_id_plus_one()
    {
        string path = Write("plain.edges", "4 0\n0 1\n1 2\n2 3\n3 4\n");
        var g = EdgeListFile.Read(path);
        Assert.Equal(5, g.Nodes);
        Assert.Equal(TopologyFactory.Create("ring", 5).Edges(), g.Edges());
    }

    [Theory]
    [InlineData("0 1\n1 x\n", 2)]
    [InlineData("0 1\n\n# c\n2\n", 4)]
    [InlineData("0 1 2\n", 1)]
    [InlineData("0 1\n-1 2\n", 2)]
    [InlineData("0 1\n1 +2\n", 2)]
    [InlineData("0 1\n1 1.5\n", 2)]
    [InlineData("0 1\n2 2\n", 2)]                       // self-loop
    [InlineData("# nodes: 3\n0 1\n1 3\n", 3)]           // id outside the declared range
    [InlineData("0 1\n1 5\n# nodes: 3\n", 2)]           // header after the edges it bounds
    [InlineData("# nodes: many\n0 1\n", 1)]
    [InlineData("# nodes: 0\n", 1)]
    [InlineData("# nodes: 2\n0 1\n# nodes: 2\n", 3)]    // second header
    [InlineData("0 99999999999\n", 1)]                  // overflows int
    [InlineData("0 100000\n", 1)]                        // beyond EdgeListFile.MaxNodes
    public void Bad_lines_are_reported_with_file_and_line_number(string text, int line)
    {
        string path = Write("bad.edges", text);
        var e = Assert.Throws<InputException>(() => EdgeListFile.Read(path));
        Assert.StartsWith($"topology file '{path}' line {line}:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Disconnected_files_are_rejected_naming_the_components()
    {
        string path = Write("split.edges", "0 1\n2 3\n");
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4, new TopologyOptions { File = path }));
        Assert.Contains($"topology file '{path}' with 4 agents is disconnected: 2 components, e.g. {{0, 1}} and {{2, 3}}", e.Message);
        // An isolated node declared by the header is a component too.
        string isolated = Write("isolated.edges", "# nodes: 4\n0 1\n1 2\n");
        Assert.Contains("{3}", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4, new TopologyOptions { File = isolated })).Message);
    }

    [Fact]
    public void Agents_must_match_the_files_node_count()
    {
        string path = Write("tri.edges", "0 1\n1 2\n2 0\n");
        var e = Assert.Throws<InputException>(() => TopologyFactory.Create("file", 5, new TopologyOptions { File = path }));
        Assert.Contains($"'{path}' has 3 nodes, but agents = 5", e.Message);
    }

    [Fact]
    public void Missing_empty_or_unnamed_files_are_input_errors()
    {
        string missing = Path.Combine(_dir, "none.edges");
        Assert.Contains("not found", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4, new TopologyOptions { File = missing })).Message);
        string empty = Write("empty.edges", "# nothing here\n\n");
        Assert.Contains("no edges", Assert.Throws<InputException>(() => EdgeListFile.Read(empty)).Message);
        Assert.Contains("topology.file", Assert.Throws<InputException>(() => TopologyFactory.Create("file", 4)).Message);
        Assert.Throws<InputException>(() => EdgeListFile.Read(_dir));   // a directory, not a file
    }
}
