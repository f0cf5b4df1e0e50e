using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Hosting.Config;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// <c>experiment.model.per-agent</c> as the config stages read it: entries with their defaults, config.conf that reads
/// back to the same models, and every mistake (entries, coverage, methods that exchange parameters, MHD's heads) as
/// one line naming the key.
/// </summary>
public sealed class PerAgentModelConfigTests
{
    private const string HalfAndHalf = "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = mlp, hidden = [200] }]";

    private static string[] Mhd(params string[] sets) =>
        ["algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.1", .. sets];

    private static string Error(params string[] sets) =>
        Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, sets)).Message;

    [Fact]
    public void Entries_take_heads_and_hidden_widths_from_experiment_model_unless_they_set_them()
    {
        var c = ExperimentConfigLoader.Load(null, Mhd(HalfAndHalf)).Config;
        Assert.Equal(2, c.Model.PerAgent.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], c.Model.PerAgent[0].Ids);
        Assert.Equal("0-7", c.Model.PerAgent[0].Agents);
        Assert.Equal(("lenet5", 3), (c.Model.ForAgent(3).Name, c.Model.ForAgent(3).Heads));
        Assert.Equal(("mlp", 3), (c.Model.ForAgent(8).Name, c.Model.ForAgent(8).Heads));
        Assert.Equal([200], c.Model.ForAgent(8).Hidden);
        Assert.True(c.Model.Heterogeneous);

        var own = ExperimentConfigLoader.Load(null, Mhd("model.per-agent=[{ agents = \"0-3,8-15\", name = mlp, heads = 2 }, { agents = \"4-7\", name = mlp, heads = 2 }]")).Config;
        Assert.Equal(("mlp[200,200](heads=2)", 2), (own.Model.ForAgent(4).Label, own.Model.ForAgent(4).Heads));   // hidden from model.hidden
        Assert.False(own.Model.Heterogeneous);
        Assert.Empty(ExperimentConfigLoader.Load(null).Config.Model.PerAgent);
    }

    [Fact]
    public void Config_conf_renders_the_entries_so_that_it_reads_back_to_the_same_models()
    {
        var loaded = ExperimentConfigLoader.Load(null, Mhd(HalfAndHalf));
        Assert.Contains("experiment.model.per-agent = [{agents = \"0-7\", name = \"lenet5\"}, {agents = \"8-15\", hidden = [200], name = \"mlp\"}]",
            loaded.ResolvedText);
        string file = Path.Combine(Directory.CreateTempSubdirectory("dkd-per-agent-").FullName, "config.conf");
        try
        {
            File.WriteAllText(file, loaded.ResolvedText);
            var again = ExperimentConfigLoader.Load(file);
            Assert.Equal(loaded.ResolvedText, again.ResolvedText);   // so the checkpoint's config hash and the cluster fingerprint agree
            Assert.Equal(loaded.Config.Model.PerAgent.Select(p => (p.Agents, p.Model.Label)), again.Config.Model.PerAgent.Select(p => (p.Agents, p.Model.Label)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, true);
        }
        Assert.Contains("experiment.model.per-agent = []", ExperimentConfigLoader.Load(null).ResolvedText);
    }

    public static TheoryData<string, string> BadEntries() => new()
    {
        { "model.per-agent=lenet5", "experiment.model.per-agent: expected a list like [{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = mlp, hidden = [200] }]" },
        { "model.per-agent=[lenet5]", "experiment.model.per-agent, entry 1: expected an object like [{ agents = \"0-7\", name = lenet5 }" },
        { "model.per-agent=[{ agents = \"0-15\" }]", "experiment.model.per-agent, entry 1: missing 'name' (one of mlp | lenet5 | resnet20" },   // a test may have registered more models after them
        { "model.per-agent=[{ name = lenet5 }]", "experiment.model.per-agent, entry 1: missing 'agents' (e.g. agents = \"0-7\")" },
        { "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = vgg }]", "experiment.model.per-agent, entry 2: name = 'vgg': expected one of mlp | lenet5 | resnet20" },
        { "model.per-agent=[{ agents = \"0-15\", name = mlp, hiden = [2] }]", "experiment.model.per-agent, entry 1: unknown key 'hiden' (an entry takes agents, name, hidden, heads)" },
        { "model.per-agent=[{ agents = \"0-15\", name = mlp, hidden = [0] }]", "experiment.model.per-agent, entry 1: hidden: element '0' is not an integer in [1, 1048576]" },
        { "model.per-agent=[{ agents = \"0-15\", name = mlp, hidden = 200 }]", "experiment.model.per-agent, entry 1: hidden: expected a list of widths like [200]" },
        { "model.per-agent=[{ agents = \"0-15\", name = lenet5, hidden = [200] }]", "experiment.model.per-agent, entry 1: hidden widths shape mlp only, not lenet5 (remove hidden or use name = mlp)" },
        { "model.per-agent=[{ agents = \"0-15\", name = mlp, heads = 0 }]", "experiment.model.per-agent, entry 1: heads = '0': expected an integer in [1, 64]" },
        { "model.per-agent=[{ agents = [0, 1], name = mlp }]", "experiment.model.per-agent, entry 1: agents: expected a single value" },
        { "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"7-15\", name = mlp }]", "experiment.model.per-agent: agent 7 is in entry 1 (agents = \"0-7\") and entry 2 (agents = \"7-15\")" },
        { "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-13\", name = mlp }]", "experiment.model.per-agent: agents 14-15 are in no entry" },
        { "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-16\", name = mlp }]", "experiment.model.per-agent, entry 2: agents = \"8-16\": agent 16 does not exist (experiment.agents = 16: ids 0-15)" },
        { "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8..15\", name = mlp }]", "experiment.model.per-agent, entry 2: agents = \"8..15\": expected agent ids like" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void A_bad_entry_is_one_line_naming_the_key(string set, string expected) =>
        Assert.StartsWith(expected, Error(Mhd(set)));

    [Theory]
    [InlineData("dpsgd")]
    [InlineData("qgm")]
    [InlineData("ccl")]
    [InlineData("fedavg")]
    public void A_method_that_combines_parameters_refuses_per_agent_models_naming_itself(string algorithm) =>
        Assert.Equal($"experiment.model.per-agent: algorithm '{algorithm}' combines or sends model parameters, so every agent needs the same model " +
            "(experiment.model); per-agent models work with local, mhd",
            Error($"algorithm.name={algorithm}", "model.per-agent=[{ agents = \"0-15\", name = lenet5 }]"));

    [Fact]
    public void Mhd_needs_auxiliary_heads_on_every_agent_and_the_same_number_everywhere()
    {
        Assert.Equal("experiment.model.per-agent: agents \"8-15\" have heads = 1: algorithm 'mhd' needs the main head plus at least one auxiliary head (heads >= 2)",
            Error(Mhd("model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = mlp, heads = 1 }]")));
        Assert.Equal("experiment.model.per-agent: heads 3 (agents \"0-7\") and 2 (agents \"8-15\"): mhd sends the logits of every auxiliary head to " +
            "neighbours with the same heads; expected one heads value for all agents",
            Error(Mhd("model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = mlp, heads = 2 }]")));
        // experiment.model.heads does not matter when every entry sets its own.
        ExperimentConfigLoader.Load(null, Mhd("model.heads=1", "model.per-agent=[{ agents = \"0-7\", name = lenet5, heads = 2 }, { agents = \"8-15\", name = mlp, heads = 2 }]"));
        // local takes models with different heads.
        ExperimentConfigLoader.Load(null, ["algorithm.name=local", "model.per-agent=[{ agents = \"0-7\", name = lenet5 }, { agents = \"8-15\", name = lenet5, heads = 2 }]"]);
    }
}
