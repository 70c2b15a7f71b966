namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// The activation criterion: removing channel c of a group (with bias compensation keeping its mean) changes each
/// layer that reads it by (x_c - mean_c) times the weights on c, so the output error energy it adds is
/// variance_c x the sum of those squared weights. Scores add this over every reading layer (Conv or Gemm whose input
/// channels sit on axis 1), summing a channel's positions when a Flatten spread it over several.
/// </summary>
internal static class ActivationScorer
{
    /// <summary>
    /// Scores for the channels of every root group that a reading layer with statistics reads, by root; a group
    /// missing from the result has none. Each reading layer's weights are read once.
    /// </summary>
    public static Dictionary<int, double[]> ScoreAll(ChannelAnalysis analysis, IReadOnlyDictionary<string, InputMoments> moments)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(moments);
        var groups = analysis.Groups;
        var scores = new Dictionary<int, double[]>();
        foreach (var sink in analysis.Edits.OfType<SliceConstantEdit>().Where(e => e.Role == SliceRole.Sink))
        {
            var node = sink.Node;
            if (node.OpType is not ("Conv" or "Gemm") || sink.Layout.Axis != 1 || !sink.Layout.HasGroups
                || !moments.TryGetValue(node.Input[0], out var statistics) || statistics.Variance.Length != sink.Layout.Length
                || analysis.Constants.FloatDims(node.Input[1]) is not { } dims || analysis.Constants.UniformValue(node.Input[1]) is not null)
            {
                continue;
            }

            var energy = InputWeightEnergy(analysis.Constants.ReadFloats(node.Input[1]), dims, sink.Axis);
            var position = 0;
            foreach (var segment in sink.Layout.Segments)
            {
                if (!segment.IsOpaque)
                {
                    var root = groups.Find(segment.Group);
                    if (!scores.TryGetValue(root, out var rootScores))
                    {
                        rootScores = new double[groups.Size(root)];
                        scores[root] = rootScores;
                    }

                    for (var p = 0; p < segment.Length; p++)
                    {
                        rootScores[segment.Start + (p / segment.Multiplier)] += statistics.Variance[position + p] * energy[position + p];
                    }
                }

                position += segment.Length;
            }
        }

        return scores;
    }

    /// <summary>Sum of squared weights reading each input position: axis 1 of [out, in, kernel...], or axis 0 of [in, out].</summary>
    private static double[] InputWeightEnergy(float[] weights, long[] dims, int axis)
    {
        var inputs = (int)dims[axis];
        var energy = new double[inputs];
        if (axis == 0)
        {
            var outputs = weights.Length / inputs;
            for (var i = 0; i < weights.Length; i++)
            {
                energy[i / outputs] += (double)weights[i] * weights[i];
            }

            return energy;
        }

        var inner = weights.Length / (int)dims[0] / inputs;
        for (var i = 0; i < weights.Length; i++)
        {
            energy[i / inner % inputs] += (double)weights[i] * weights[i];
        }

        return energy;
    }
}
