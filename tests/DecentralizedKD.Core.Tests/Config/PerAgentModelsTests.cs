using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using Xunit;

namespace DecentralizedKD.Core.Tests.Config;

/// <summary>
/// The agent lists of <c>experiment.model.per-agent</c> and the every-agent-exactly-once rule: a slip here would give
/// agents another model than meant, so each one is a one-line error naming the key and the entry.
/// </summary>
public sealed class PerAgentModelsTests
{
    private static readonly ModelConfig LeNet = new(ModelRegistry.Get("lenet5"), 1, [200, 200]);
    private static readonly ModelConfig Mlp = new(ModelRegistry.Get("mlp"), 1, [200]);

    private static PerAgentModel Entry(string agents, ModelConfig model, int total = 16, int index = 0) =>
        new(agents, PerAgentModels.ParseAgents(agents, total, index), model);

    [Theory]
    [InlineData("0-7", new[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData("3", new[] { 3 })]
    [InlineData("0-3,8", new[] { 0, 1, 2, 3, 8 })]
    [InlineData(" 12 - 13 , 5 ", new[] { 5, 12, 13 })]
    [InlineData("15-15", new[] { 15 })]
    public void Agent_lists_give_ascending_ids(string text, int[] ids) => Assert.Equal(ids, PerAgentModels.ParseAgents(text, 16, 0));

    [Theory]
    [InlineData("", "experiment.model.per-agent, entry 2: agents = \"\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"")]
    [InlineData("0-x", "experiment.model.per-agent, entry 2: agents = \"0-x\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"")]
    [InlineData("-3", "experiment.model.per-agent, entry 2: agents = \"-3\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"")]
    [InlineData("0-3,", "experiment.model.per-agent, entry 2: agents = \"0-3,\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"")]
    [InlineData("1-2-3", "experiment.model.per-agent, entry 2: agents = \"1-2-3\": expected agent ids like \"0-7\", \"3\" or \"0-3,8\"")]
    [InlineData("7-3", "experiment.model.per-agent, entry 2: agents = \"7-3\": range 7-3 runs backwards (expected a-b with a <= b)")]
    [InlineData("8-16", "experiment.model.per-agent, entry 2: agents = \"8-16\": agent 16 does not exist (experiment.agents = 16: ids 0-15)")]
    [InlineData("0-3,2", "experiment.model.per-agent, entry 2: agents = \"0-3,2\": agent 2 is listed twice")]
    public void A_malformed_or_impossible_agent_list_is_one_line_naming_the_entry(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InputException>(() => PerAgentModels.ParseAgents(text, 16, 1)).Message);

    [Fact]
    public void Every_agent_must_be_in_exactly_one_entry()
    {
        PerAgentModels.CheckCoverage([Entry("0-7", LeNet), Entry("8-15", Mlp)], 16);
        var overlap = Assert.Throws<InputException>(() => PerAgentModels.CheckCoverage([Entry("0-8", LeNet), Entry("8-15", Mlp)], 16));
        Assert.Equal("experiment.model.per-agent: agent 8 is in entry 1 (agents = \"0-8\") and entry 2 (agents = \"8-15\"); expected every agent in exactly one entry",
            overlap.Message);
        var missing = Assert.Throws<InputException>(() => PerAgentModels.CheckCoverage([Entry("0-5", LeNet), Entry("8-11,14", Mlp)], 16));
        Assert.Equal("experiment.model.per-agent: agents 6-7,12-13,15 are in no entry; expected every agent 0-15 in exactly one entry", missing.Message);
        var one = Assert.Throws<InputException>(() => PerAgentModels.CheckCoverage([Entry("0-14", LeNet)], 16));
        Assert.Equal("experiment.model.per-agent: agent 15 is in no entry; expected every agent 0-15 in exactly one entry", one.Message);
    }

    [Fact]
    public void Agents_take_their_entrys_model_and_only_different_labels_make_a_run_heterogeneous()
    {
        var mixed = LeNet with { PerAgent = [Entry("0-7", LeNet), Entry("8-15", Mlp)] };
        Assert.True(mixed.Heterogeneous);
        Assert.Equal("lenet5", mixed.ForAgent(7).Label);
        Assert.Equal("mlp[200]", mixed.ForAgent(8).Label);
        Assert.Empty(mixed.ForAgent(8).PerAgent);
        // An id no entry lists (the FedAvg/FedDKD server) has experiment.model.
        Assert.Equal("lenet5", mixed.ForAgent(16).Label);
        Assert.Empty(mixed.ForAgent(16).PerAgent);

        // All entries naming one model: not heterogeneous, whatever experiment.model says; hidden widths shape an MLP only.
        var same = Mlp with { PerAgent = [Entry("0-7", LeNet), Entry("8-15", LeNet with { Hidden = [7] })] };
        Assert.False(same.Heterogeneous);
        Assert.False(LeNet.Heterogeneous);
        // Heads tell models apart (parameter counts differ).
        Assert.True((LeNet with { PerAgent = [Entry("0-7", LeNet), Entry("8-15", LeNet with { Heads = 3 })] }).Heterogeneous);
    }

    [Fact]
    public void Labels_name_the_architecture_the_mlp_widths_and_extra_heads()
    {
        Assert.Equal("lenet5", ModelSpec.LabelOf(ModelRegistry.Get("lenet5"), 1, [200, 200]));
        Assert.Equal("mlp[200,100]", ModelSpec.LabelOf(ModelRegistry.Get("mlp"), 1, [200, 100]));
        Assert.Equal("mlp[]", ModelSpec.LabelOf(ModelRegistry.Get("mlp"), 1, []));
        Assert.Equal("resnet20(heads=3)", ModelSpec.LabelOf(ModelRegistry.Get("resnet20"), 3, [200]));
        Assert.Equal("mlp[200,200]", new ModelSpec("mlp", [1, 28, 28], 10).Label);   // no hidden given: the factory's default
    }

    [Fact]
    public void Agent_ids_are_described_as_the_shortest_list() =>
        Assert.Equal("0-3,8,10-11", PerAgentModels.Describe([0, 1, 2, 3, 8, 10, 11]));
}
