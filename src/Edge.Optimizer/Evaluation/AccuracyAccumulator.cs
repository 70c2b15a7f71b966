namespace Edge.Optimizer.Evaluation;

/// <summary>
/// Counts top-1 and top-5 hits of classifier scores against labels. Ties rank the lower class index first,
/// so a result never depends on sort stability.
/// </summary>
internal sealed class AccuracyAccumulator
{
    public int Samples { get; private set; }

    public int Top1Hits { get; private set; }

    public int Top5Hits { get; private set; }

    public double Top1 => Samples == 0 ? double.NaN : (double)Top1Hits / Samples;

    public double Top5 => Samples == 0 ? double.NaN : (double)Top5Hits / Samples;

    /// <summary>Adds one sample's scores (logits or probabilities, one per class) and its true class.</summary>
    public void Add(ReadOnlySpan<float> scores, int label)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("A classifier output with no scores cannot be ranked.", nameof(scores));
        }

        Samples++;
        if ((uint)label >= (uint)scores.Length)
        {
            return; // a label the model cannot predict is a miss, not an error: label sets may differ
        }

        var target = scores[label];
        var better = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > target || (scores[i] == target && i < label))
            {
                better++;
            }
        }

        if (better == 0)
        {
            Top1Hits++;
        }

        if (better < 5)
        {
            Top5Hits++;
        }
    }

    /// <summary>The index of the largest score; the lowest index wins ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
