using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Validation;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>Every command validates through the same ordered stages; which stages run depends on what the command does.</summary>
public sealed class ValidationPipelineTests
{
    private static string[] Names(IEnumerable<IValidationStage> stages) => stages.Select(s => s.Name).ToArray();

    [Fact]
    public void Stages_run_in_the_documented_order_for_each_purpose()
    {
        Assert.Equal(["syntax", "keys", "values", "cross-key"], Names(ValidationPipeline.ConfigStages));
        Assert.Equal(["setup", "preflight", "checkpoints", "devices"], Names(ValidationPipeline.StagesFor(ValidationPurpose.Run)));
        Assert.Equal(["cluster", "setup", "preflight", "checkpoints"], Names(ValidationPipeline.StagesFor(ValidationPurpose.Coordinator)));
        Assert.Equal(["setup", "devices"], Names(ValidationPipeline.StagesFor(ValidationPurpose.Worker)));
        Assert.Equal(["setup"], Names(ValidationPipeline.StagesFor(ValidationPurpose.Bench)));
        foreach (var purpose in Enum.GetValues<ValidationPurpose>())
            Assert.Equal("setup", Names(ValidationPipeline.StagesFor(purpose)).First(n => n is "setup" or "preflight" or "checkpoints" or "devices"));
    }

    [Fact]
    public void Syntax_is_checked_before_keys_and_keys_before_values()
    {
        // An unknown key in one layer and broken HOCON in a later one: the syntax error wins, whatever the layer order.
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["agentz=3", "rounds={"]));
        Assert.StartsWith("--set rounds={:", e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["rounds=0", "agentz=3"]));
        Assert.Equal("--set: unknown key 'experiment.agentz' (nearest known key: 'experiment.agents')", e.Message);
    }

    [Fact]
    public void A_coordinator_refuses_what_a_cluster_cannot_run_before_it_reads_any_data()
    {
        var loaded = ExperimentConfigLoader.Load(null, ["mode=realtime", "dataset.path=/nonexistent/fashion-mnist"]);
        var e = Assert.Throws<InputException>(() => ValidationPipeline.Prepare(loaded, ValidationPurpose.Coordinator));
        Assert.Equal("experiment.mode = realtime: cluster runs support mode = sync or async (run realtime with dkd run)", e.Message);
        // The same config as a single-process run gets as far as the data.
        e = Assert.Throws<InputException>(() => ValidationPipeline.Prepare(loaded, ValidationPurpose.Run));
        Assert.Contains("/nonexistent/fashion-mnist", e.Message);
    }

    [Fact]
    public void A_methods_stated_requirements_get_the_shared_one_line_checks()
    {
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["algorithm.name=mhd", "dataset.public-fraction=0.1"]));
        Assert.Equal("experiment.model.heads = 1: algorithm 'mhd' needs the main head plus at least one auxiliary head (heads >= 2)", e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["algorithm.name=feddkd", "mode=async", "network.max-staleness=2"]));
        Assert.Equal("experiment.network.max-staleness = 2: feddkd runs synchronous rounds; expected 0 in async mode", e.Message);
        e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, ["algorithm.name=qgm", "agents=1"]));
        Assert.StartsWith("experiment.agents = 1: algorithm 'qgm' exchanges messages between agents and needs at least 2", e.Message);
        // local and the server methods run with one learner.
        ExperimentConfigLoader.Load(null, ["algorithm.name=local", "agents=1"]);
        ExperimentConfigLoader.Load(null, ["algorithm.name=fedavg", "agents=1"]);
    }

    [Fact]
    public void Idkd_checkpoints_are_refused_in_async_mode_from_its_descriptor_before_any_agent_is_built()
    {
        var loaded = ExperimentConfigLoader.Load(null, ["algorithm.name=idkd", "dataset.public-fraction=0.1", "mode=async", "checkpoint.every=5"]);
        var e = Assert.Throws<InputException>(() => Core.Training.CheckpointSupport.Verify(loaded.Config, () => throw new InvalidOperationException("not built")));
        Assert.Equal("experiment.checkpoint.every = 5: algorithm 'idkd' does not support checkpoints in asynchronous mode; " +
            "set experiment.checkpoint.every = 0 or experiment.mode = sync", e.Message);
    }
}
