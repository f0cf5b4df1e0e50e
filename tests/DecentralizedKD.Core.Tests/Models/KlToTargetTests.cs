using DecentralizedKD.Core.Models;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

/// <summary>MHD's distillation term KL(t ‖ softmax(s/T))·T² against hand-computed values.</summary>
public sealed class KlToTargetTests
{
    [Fact]
    public void Equals_the_hand_computed_batch_mean_times_T_squared_with_zero_targets_contributing_nothing()
    {
        using var scope = NewDisposeScope();
        const double t = 2;
        var student = tensor(new[] { 0f, 0f, 1f, -1f }, [2, 2]);
        var target = tensor(new[] { 0.25f, 0.75f, 1f, 0f }, [2, 2]);
        // Row 0: softmax([0, 0]/2) = (.5, .5): KL = .25·ln(.25/.5) + .75·ln(.75/.5) = 0.1308120.
        double row0 = 0.25 * Math.Log(0.25 / 0.5) + 0.75 * Math.Log(0.75 / 0.5);
        // Row 1: log softmax([.5, −.5])_0 = .5 − ln(e^.5 + e^−.5) = −0.3132617; KL = 1·(ln 1 + 0.3132617), the 0 entry adds 0.
        double row1 = -(0.5 - Math.Log(Math.Exp(0.5) + Math.Exp(-0.5)));
        double expected = (row0 + row1) / 2 * t * t;   // 0.8881474
        Assert.Equal(0.8881474, expected, 1e-6);
        Assert.Equal(expected, Losses.KlToTarget(student, target, t).item<float>(), 1e-6);
    }

    [Fact]
    public void Equals_logit_distillation_when_the_target_is_the_softened_teacher()
    {
        using var scope = NewDisposeScope();
        const double t = 3;
        var student = tensor(new[] { 0.3f, -1.2f, 2f, 0.5f, 0.5f, -0.7f }, [2, 3]);
        var teacher = tensor(new[] { 1f, 0f, -2f, 0.1f, 2.5f, 0.3f }, [2, 3]);
        var probs = nn.functional.softmax(ScalarOps.Div(teacher, t), 1);
        Assert.Equal(Losses.KlDistill(student, teacher, t).item<float>(), Losses.KlToTarget(student, probs, t).item<float>(), 1e-6);
        Assert.Equal(0.0, Losses.KlToTarget(teacher, probs, t).item<float>(), 1e-6);
    }
}
