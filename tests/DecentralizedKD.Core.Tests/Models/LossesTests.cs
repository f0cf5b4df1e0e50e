using DecentralizedKD.Core.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Tests.Models;

/// <summary>Every loss against values computed by hand, in double, on tiny tensors.</summary>
public sealed class LossesTests
{
    private static double[] Softmax(double[] v, double t = 1)
    {
        var e = v.Select(x => Math.Exp(x / t)).ToArray();
        double z = e.Sum();
        return e.Select(x => x / z).ToArray();
    }

    private static Tensor Matrix(double[][] rows) =>
        tensor(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void Cross_entropy_is_the_batch_mean_of_minus_log_softmax_at_the_label()
    {
        using var scope = NewDisposeScope();
        double[][] logits = [[1, 2, 3], [1, 0, 0]];
        long[] labels = [2, 0];
        double expected = (-Math.Log(Softmax(logits[0])[2]) - Math.Log(Softmax(logits[1])[0])) / 2;   // 0.4076 + 0.5514
        Assert.Equal(expected, Losses.CrossEntropy(Matrix(logits), tensor(labels)).item<float>(), 1e-6);
    }

    [Fact]
    public void Soft_cross_entropy_matches_hand_computed_and_equals_cross_entropy_on_one_hot_targets()
    {
        using var scope = NewDisposeScope();
        double[][] logits = [[0, Math.Log(4)], [2, -1]];
        double[][] targets = [[0.2, 0.8], [0.5, 0.5]];
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            var p = Softmax(logits[i]);
            expected -= (targets[i][0] * Math.Log(p[0]) + targets[i][1] * Math.Log(p[1])) / 2;
        }
        Assert.Equal(expected, Losses.SoftCrossEntropy(Matrix(logits), Matrix(targets)).item<float>(), 1e-6);

        var h = Matrix([[1, 2, 3], [1, 0, 0]]);
        var oneHot = Matrix([[0, 0, 1], [1, 0, 0]]);
        Assert.Equal(Losses.CrossEntropy(h, tensor(new long[] { 2, 0 })).item<float>(), Losses.SoftCrossEntropy(h, oneHot).item<float>(), 1e-6);
    }

    [Fact]
    public void Kl_distillation_is_T_squared_times_the_batch_mean_of_KL_teacher_to_student()
    {
        using var scope = NewDisposeScope();
        double[][] s = [[1, 0, -1], [2, 2, 0]];
        double[][] t = [[0.5, 1.5, 0], [-1, 3, 1]];
        const double T = 2;
        double sum = 0;
        for (int i = 0; i < 2; i++)
        {
            var ps = Softmax(s[i], T);
            var pt = Softmax(t[i], T);
            sum += Enumerable.Range(0, 3).Sum(c => pt[c] * Math.Log(pt[c] / ps[c]));
        }
        double expected = sum / 2 * T * T;
        var kl = Losses.KlDistill(Matrix(s), Matrix(t), T).item<float>();
        Assert.Equal(expected, kl, 1e-5);
        Assert.True(expected > 0.1);                                      // not a vacuous comparison

        Assert.Equal(0, Losses.KlDistill(Matrix(s), Matrix(s), T).item<float>(), 1e-6);
        // direction matters: KL(t‖s) ≠ KL(s‖t) here
        Assert.NotEqual(kl, Losses.KlDistill(Matrix(t), Matrix(s), T).item<float>(), 3);
    }

    [Fact]
    public void Kl_distillation_gradient_is_T_times_the_softened_probability_gap()
    {
        // d/ds [T²·KL(softmax(t/T) ‖ softmax(s/T))] / B = T·(softmax(s/T) − softmax(t/T)) / B
        using var scope = NewDisposeScope();
        double[][] s = [[1, 0, -1]];
        double[][] t = [[0.5, 1.5, 0]];
        const double T = 3;
        var student = Matrix(s).requires_grad_();
        Losses.KlDistill(student, Matrix(t), T).backward();
        var ps = Softmax(s[0], T);
        var pt = Softmax(t[0], T);
        var grad = student.grad!.data<float>().ToArray();
        for (int c = 0; c < 3; c++) Assert.Equal(T * (ps[c] - pt[c]), grad[c], 1e-6);
    }

    [Fact]
    public void Feature_mse_averages_over_batch_and_dimensions()
    {
        using var scope = NewDisposeScope();
        var a = Matrix([[1, 2, 3], [4, 5, 6]]);
        var b = Matrix([[1, 0, 3], [0, 5, 7]]);
        Assert.Equal((0 + 4 + 0 + 16 + 0 + 1) / 6.0, Losses.FeatureMse(a, b).item<float>(), 1e-6);
    }

    [Fact]
    public void InfoNce_on_2x2_matches_the_hand_computed_value()
    {
        using var scope = NewDisposeScope();
        // za rows (1,0), (0,2) → normalised (1,0), (0,1); zb rows (3,0), (1,1) → (1,0), (1,1)/√2; τ = 0.5.
        // logits = za·zbᵀ/τ = [[2, √2], [0, √2]]; row i's positive is column i.
        var za = Matrix([[1, 0], [0, 2]]);
        var zb = Matrix([[3, 0], [1, 1]]);
        double r = Math.Sqrt(2);
        double row0 = -(2 - Math.Log(Math.Exp(2) + Math.Exp(r)));
        double row1 = -(r - Math.Log(Math.Exp(0) + Math.Exp(r)));
        Assert.Equal((row0 + row1) / 2, Losses.InfoNce(za, zb, 0.5).item<float>(), 1e-6);
    }
}
