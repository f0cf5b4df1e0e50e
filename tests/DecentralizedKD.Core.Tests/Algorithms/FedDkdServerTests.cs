using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>FedAvg/FedDKD server and client arithmetic against hand-computed values (closed-form sources, no torch).</summary>
public sealed class FedDkdServerTests
{
    private static readonly int[] Samples = [1, 3, 4];

    private static ParameterPayload Model(int sender, params float[] w) => new(0, sender, w);

    [Fact]
    public void Phase_zero_is_the_sample_size_weighted_mean_of_the_client_models()
    {
        var server = new FedDkdServer(3, [9f, 9f], Samples, 0.1, new FedDkdSchedule(0));
        server.Receive(Model(2, 1f, 0f));
        server.Receive(Model(0, 4f, 8f));
        server.Receive(Model(1, -2f, 2f));
        server.Combine(0, 0);
        // (1·(4, 8) + 3·(−2, 2) + 4·(1, 0)) / 8 = (2/8, 14/8)
        Assert.Equal([0.25f, 1.75f], server.Parameters.ToArray());
        // Phase 1 (S = 0: the final broadcast) sends that model to every client, one shared snapshot.
        var a = server.Outgoing(0, 1, 0);
        Assert.Same(a, server.Outgoing(0, 1, 2));
        Assert.Equal(1, a!.Phase);
        Assert.Equal([0.25f, 1.75f], ((ParameterPayload)a).Parameters);
        Assert.Null(server.Outgoing(0, 0, 0));
    }

    [Fact]
    public void A_distillation_step_moves_w_against_the_weighted_mean_gradient()
    {
        var server = new FedDkdServer(3, [0f, 0f], Samples, 0.5, new FedDkdSchedule(2));
        foreach (int k in new[] { 0, 1, 2 }) server.Receive(Model(k, 2f, -4f));
        server.Combine(0, 0);
        Assert.Equal(3, server.ExpectedPayloads(0, 2));
        Assert.Equal(0, server.ExpectedPayloads(0, 1));
        server.Receive(new GradientPayload(0, 0, [8f, 0f]) { Phase = 2 });
        server.Receive(new GradientPayload(0, 1, [0f, 4f]) { Phase = 2 });
        server.Receive(new GradientPayload(0, 2, [2f, 2f]) { Phase = 2 });
        server.Combine(0, 2);
        // Σ p_k g_k = (1·(8,0) + 3·(0,4) + 4·(2,2)) / 8 = (2, 2.5); w = (2, −4) − 0.5·(2, 2.5)
        Assert.Equal([1f, -5.25f], server.Parameters.ToArray());
    }

    [Fact]
    public void Missing_clients_fail_in_sync_mode_and_are_left_out_with_renormalised_weights_in_async_mode()
    {
        var strict = new FedDkdServer(3, [0f], Samples, 0.1, new FedDkdSchedule(0));
        strict.Receive(Model(1, 4f));
        Assert.Throws<InvalidOperationException>(() => strict.Combine(0, 0));

        var tolerant = new FedDkdServer(3, [0f], Samples, 0.1, new FedDkdSchedule(0));
        tolerant.UseSelfForMissingNeighbours();
        tolerant.Receive(new ParameterPayload(1, 1, [4f]));
        tolerant.Receive(new ParameterPayload(1, 2, [-2f]));
        tolerant.Receive(new ParameterPayload(0, 0, [100f]));   // client 0's upload of the previous round, arriving late
        tolerant.Combine(1, 0);
        // Client 0 is left out: (3·4 + 4·(−2)) / 7 = 4/7.
        Assert.Equal(4f / 7, tolerant.Parameters[0], 1e-6f);
    }

    [Fact]
    public void Fedavg_round_on_quadratics_trains_locally_from_w_g_with_fresh_momentum_and_averages()
    {
        float[][] centers = [[1f, -2f], [3f, 0f], [-1f, 5f]];
        float[] start = [0.5f, 0.5f];
        const double eta = 0.1, beta = 0.9;
        var clients = centers.Select((c, k) => new FedDkdClient(k, 3, new QuadraticSource(c, start, (ulong)k, noise: 0),
            new NoDistillation(), new SgdSettings(beta, false, 0), new LearningRateSchedule(eta), 2, new FedDkdSchedule(0))).ToList();
        var server = new FedDkdServer(3, start, Samples, 0.3, new FedDkdSchedule(0));
        IAgentAlgorithm[] agents = [.. clients, server];

        var w = start.Select(v => (double)v).ToArray();
        for (int r = 0; r < 3; r++)
        {
            var bytes = FedDkdProtocol.Round(agents, r);
            // Hand-computed: two heavy-ball steps from w_g with m = 0 at the start of every round, then Σ n_k/n · w_k.
            var next = new double[2];
            for (int k = 0; k < 3; k++)
                for (int d = 0; d < 2; d++)
                {
                    double x = w[d], m = 0;
                    for (int s = 0; s < 2; s++) { m = beta * m + (x - centers[k][d]); x -= eta * m; }
                    next[d] += Samples[k] / 8.0 * x;
                }
            w = next;
            for (int d = 0; d < 2; d++) Assert.Equal(w[d], server.Parameters[d], 1e-5);
            foreach (var c in clients) Assert.Equal(server.Parameters.ToArray(), c.Parameters.ToArray());   // all hold w_g
            Assert.Equal(new Dictionary<string, long> { ["parameters"] = 2 * 3 * 2 * 4 }, bytes);          // 3 uploads + 3 broadcasts of 2 floats
        }
    }

    [Fact]
    public void Feddkd_round_sends_s_models_down_and_s_gradients_up_and_applies_the_server_steps()
    {
        // D_k(w) = ½‖w − c_k‖² stands in for the KL: ∇D_k = w − c_k, so S steps from the FedAvg point are closed-form.
        float[][] centers = [[2f, 0f], [0f, 2f], [1f, 1f]];
        float[] start = [0f, 0f];
        const int steps = 3;
        const double dkdLr = 0.25;
        var clients = centers.Select((c, k) => new FedDkdClient(k, 3, new QuadraticSource(c, start, (ulong)k, noise: 0),
            new QuadraticDistillation(c), new SgdSettings(0, false, 0), new LearningRateSchedule(0.0), 1, new FedDkdSchedule(steps))).ToList();
        var server = new FedDkdServer(3, start, Samples, dkdLr, new FedDkdSchedule(steps));
        var bytes = FedDkdProtocol.Round([.. clients, server], 0);

        // lr 0: the teachers are the start, FedAvg gives 0; then w ← w − η(w − c̄) with c̄ = Σ p_k c_k = (6/8, 10/8).
        double[] cbar = [6 / 8.0, 10 / 8.0];
        double[] w = [0, 0];
        for (int s = 0; s < steps; s++) for (int d = 0; d < 2; d++) w[d] -= dkdLr * (w[d] - cbar[d]);
        for (int d = 0; d < 2; d++) Assert.Equal(w[d], server.Parameters[d], 1e-6);
        foreach (var c in clients) Assert.Equal(server.Parameters.ToArray(), c.Parameters.ToArray());
        // Per client: upload + S models down + final broadcast are parameters, S gradients up: (2 + 2S) vectors of 2 floats.
        Assert.Equal((2 + steps) * 3 * 2 * 4L, bytes["parameters"]);
        Assert.Equal(steps * 3 * 2 * 4L, bytes["gradients"]);
        Assert.Equal(2 * steps + 2, server.Phases(0));
    }

    private sealed class NoDistillation : IDistillationGradient
    {
        public void TeacherChanged() { }
        public double Compute(ReadOnlySpan<float> student, Span<float> gradient) => throw new InvalidOperationException("FedAvg never distils");
        public void Dispose() { }
    }

    private sealed class QuadraticDistillation(float[] center) : IDistillationGradient
    {
        public void TeacherChanged() { }

        public double Compute(ReadOnlySpan<float> student, Span<float> gradient)
        {
            double loss = 0;
            for (int d = 0; d < student.Length; d++)
            {
                gradient[d] = student[d] - center[d];
                loss += 0.5 * gradient[d] * gradient[d];
            }
            return loss;
        }

        public void Dispose() { }
    }
}
