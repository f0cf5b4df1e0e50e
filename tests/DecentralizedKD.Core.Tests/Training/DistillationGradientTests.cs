using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Tests.Algorithms;
using DecentralizedKD.Core.Training;
using Xunit;

namespace DecentralizedKD.Core.Tests.Training;

/// <summary>FedDKD's client objective on tiny linear softmax models (an MLP without hidden layers): logits = W x + b.</summary>
public sealed class DistillationGradientTests
{
    private const int Dim = 3, Classes = 4;
    private static readonly ModelSpec Linear = new("mlp", [Dim], Classes, 1, []);

    private static Dataset Data(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, n * Dim).Select(_ => (float)rng.NextNormal()).ToArray();
        return new Dataset("tiny", [Dim], Classes, x, Enumerable.Range(0, n).Select(i => i % Classes).ToArray());
    }

    private static float[] RandomVector(int length, ulong seed, double scale)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(scale * rng.NextNormal())).ToArray();
    }

    /// <summary>Logits of the flat linear model [W (Classes×Dim, row-major), b] on sample x, in double.</summary>
    private static double[] Logits(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        var z = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            z[c] = w[Classes * Dim + c];
            for (int j = 0; j < Dim; j++) z[c] += (double)w[c * Dim + j] * x[j];
        }
        return z;
    }

    private static double[] Softmax(double[] z, double t)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp((v - max) / t)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    [Fact]
    public void Gradient_and_value_match_the_hand_computed_kl_with_temperature_on_a_linear_model()
    {
        const double t = 2.5;
        var data = Data(5, 1);
        using var teacher = ModelFactory.Create(Linear, 11);
        using var teacherFlat = new FlatParameters(teacher);
        var wt = teacherFlat.AsSpan().ToArray();
        var ws = RandomVector(wt.Length, 7, 0.8);
        int[] indices = [4, 0, 2, 3, 1];
        using var kd = new DistillationGradient(teacher, ModelFactory.Create(Linear, 12), data, indices, batchSize: 2, kdBatches: 0, t, 3);
        var gradient = new float[ws.Length];
        double value = kd.Compute(ws, gradient);

        // D = (1/n) Σ_x T²·KL(p ‖ q), p = softmax(z_t/T), q = softmax(z_s/T); ∂D/∂z_s = (T/n)(q − p); z = W x + b.
        double expectedValue = 0;
        var expected = new double[ws.Length];
        foreach (int i in indices)
        {
            var x = data.Sample(i);
            var p = Softmax(Logits(wt, x), t);
            var q = Softmax(Logits(ws, x), t);
            for (int c = 0; c < Classes; c++)
            {
                expectedValue += t * t * p[c] * Math.Log(p[c] / q[c]) / indices.Length;
                double dz = t * (q[c] - p[c]) / indices.Length;
                expected[Classes * Dim + c] += dz;
                for (int j = 0; j < Dim; j++) expected[c * Dim + j] += dz * x[j];
            }
        }
        Assert.True(expectedValue > 0.05);
        Assert.Equal(expectedValue, value, 1e-5);
        for (int k = 0; k < ws.Length; k++) Assert.Equal(expected[k], gradient[k], 1e-5);

        // At the teacher itself the divergence and its gradient vanish.
        Assert.Equal(0, kd.Compute(wt, gradient), 1e-6);
        Assert.All(gradient, g => Assert.Equal(0, g, 1e-6));
    }

    [Fact]
    public void One_sampled_batch_of_all_local_data_equals_the_full_pass_and_a_new_teacher_is_picked_up()
    {
        var data = Data(6, 2);
        int[] indices = [0, 1, 2, 3, 4, 5];
        using var teacher = ModelFactory.Create(Linear, 21);
        using var teacherFlat = new FlatParameters(teacher);
        var ws = RandomVector(teacherFlat.Count, 9, 0.5);
        using var full = new DistillationGradient(teacher, ModelFactory.Create(Linear, 0), data, indices, 6, 0, 3.0, 1);
        using var sampled = new DistillationGradient(teacher, ModelFactory.Create(Linear, 0), data, indices, 6, 1, 3.0, 1);
        var g1 = new float[ws.Length];
        var g2 = new float[ws.Length];
        Assert.Equal(full.Compute(ws, g1), sampled.Compute(ws, g2), 1e-6);
        for (int k = 0; k < ws.Length; k++) Assert.Equal(g1[k], g2[k], 1e-6);

        // Teacher logits are cached until TeacherChanged: move the teacher onto the student, then D(ws) = 0.
        ws.CopyTo(teacherFlat.AsSpan());
        Assert.True(full.Compute(ws, g1) > 1e-3);
        full.TeacherChanged();
        Assert.Equal(0, full.Compute(ws, g1), 1e-6);
    }

    /// <summary>A client whose "local training" leaves its teacher untouched (zero gradients).</summary>
    private sealed class FrozenSource(FlatParameters flat) : IGradientSource
    {
        public Span<float> Parameters => flat.AsSpan();
        public Span<float> Gradients => flat.GradSpan();
        public double ComputeGradient() { flat.ZeroGrad(); return 0; }
        public void Dispose() => flat.Dispose();
    }

    [Fact]
    public void Distillation_steps_reduce_the_weighted_divergence_to_the_teachers_below_the_fedavg_point()
    {
        const int steps = 12;
        var data = Data(60, 5);
        int[] samples = [10, 20, 30];
        var schedule = new FedDkdSchedule(steps);
        var teachers = new List<ClassifierModel>();
        var clients = new List<FedDkdClient>();
        int offset = 0;
        for (int k = 0; k < 3; k++)
        {
            var teacher = ModelFactory.Create(Linear, 100 + k);
            var flat = new FlatParameters(teacher);
            RandomVector(flat.Count, (ulong)(50 + k), 2.0).CopyTo(flat.AsSpan());   // clearly different functions
            var indices = Enumerable.Range(offset, samples[k]).ToArray();
            offset += samples[k];
            var kd = new DistillationGradient(teacher, ModelFactory.Create(Linear, 0), data, indices, 8, 0, 3.0, (ulong)k);
            clients.Add(new FedDkdClient(k, 3, new FrozenSource(flat), kd, new Optimization.SgdSettings(0, false, 0),
                new Optimization.LearningRateSchedule(0.1), 1, schedule));
            teachers.Add(teacher);
        }
        var server = new FedDkdServer(3, new float[(Dim + 1) * Classes], samples, 1.0, schedule);
        var objective = new List<double>();   // Σ p_k D_k(w_{s−1}) seen by step s
        FedDkdProtocol.Round([.. clients, server], 0, phase =>
        {
            if (phase % 2 == 1 && !schedule.IsFinalBroadcast(phase))
                objective.Add(clients.Select((c, k) => samples[k] / 60.0 * c.LastDistillationLoss).Sum());
        });

        Assert.Equal(steps, objective.Count);
        for (int s = 1; s < steps; s++) Assert.True(objective[s] < objective[s - 1], $"step {s}: {objective[s]} !< {objective[s - 1]}");
        Assert.True(objective[^1] < 0.8 * objective[0], $"{objective[0]} → {objective[^1]}: {string.Join(", ", objective)}");
        foreach (var c in clients) c.Dispose();
        foreach (var t in teachers) t.Dispose();
    }
}
