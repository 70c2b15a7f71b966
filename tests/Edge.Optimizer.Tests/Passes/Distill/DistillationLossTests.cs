using Edge.Optimizer.Passes.Distill.Training;
using TorchSharp;

namespace Edge.Optimizer.Tests.Passes.Distill;

public sealed class DistillationLossTests
{
    [Fact]
    public void Compute_WithLabels_IsAlphaT2KlPlusOneMinusAlphaCrossEntropy()
    {
        float[] s = [1f, 2f, 0.5f, -1f, 0f, 3f];
        float[] t = [2f, 1f, 0f, 0f, -2f, 1f];
        long[] labels = [1, 2];
        const double temperature = 3, alpha = 0.25;

        var loss = DistillationLoss.Compute(torch.tensor(s, [2, 3]), torch.tensor(t, [2, 3]), torch.tensor(labels, [2]), temperature, alpha).item<float>();

        double expectedKl = 0, expectedCe = 0;
        for (var row = 0; row < 2; row++)
        {
            var p = Softmax(t.AsSpan(row * 3, 3), temperature);
            var q = Softmax(s.AsSpan(row * 3, 3), temperature);
            expectedKl += Enumerable.Range(0, 3).Sum(i => p[i] * Math.Log(p[i] / q[i]));
            expectedCe -= Math.Log(Softmax(s.AsSpan(row * 3, 3), 1)[labels[row]]);
        }

        var expected = (alpha * temperature * temperature * expectedKl / 2) + ((1 - alpha) * expectedCe / 2);
        Assert.Equal(expected, loss, 5);
    }

    private static double[] Softmax(ReadOnlySpan<float> logits, double temperature)
    {
        var e = new double[logits.Length];
        for (var i = 0; i < e.Length; i++)
        {
            e[i] = Math.Exp(logits[i] / temperature);
        }

        var sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }
}
