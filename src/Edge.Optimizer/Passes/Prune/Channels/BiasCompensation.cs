using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Removing a channel takes its activations, mean included, out of every layer that reads it. A channel whose values
/// sit away from zero (a ReLU output's positive mean, or a bias-driven channel after BatchNorm folding) thus shifts the
/// next layer's output by a fixed amount on every input. Compensation keeps the expected value: for each
/// consumer Conv or Gemm, sum over the removed input channels of (weights x the channel's mean on calibration data)
/// is added to the consumer's bias. The pruned model then equals the original with the removed channels replaced by
/// their means, instead of by zero. Padding borders are not modelled.
/// </summary>
internal static class BiasCompensation
{
    /// <summary>Adjusts consumer biases in <paramref name="analysis"/>'s model before surgery; returns what was done and skipped.</summary>
    public static BiasCompensationResult Apply(ChannelAnalysis analysis, ChannelSelection selection, IReadOnlyDictionary<string, InputMoments> moments)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(moments);
        var constants = analysis.Constants;
        IReadOnlyList<int>? KeepOf(int group) => selection.KeptOf(analysis.Groups, group);
        var compensated = new List<string>();
        var skipped = new List<string>();
        foreach (var sink in analysis.Edits.OfType<SliceConstantEdit>().Where(e => e.Role == SliceRole.Sink))
        {
            if (!sink.Layout.Groups.Any(g => KeepOf(g) is not null))
            {
                continue;
            }

            var node = sink.Node;
            var removed = sink.Layout.RemovedPositions(KeepOf);
            if (removed.Count == 0)
            {
                continue;
            }

            var reason = Compensate(constants, node, sink, removed, moments);
            if (reason is null)
            {
                compensated.Add(node.Name);
            }
            else
            {
                skipped.Add($"{node.Name}: {reason}");
            }
        }

        return new BiasCompensationResult(compensated, skipped);
    }

    private static string? Compensate(Surgery.ConstantStore constants, NodeProto node, SliceConstantEdit sink, List<int> removed, IReadOnlyDictionary<string, InputMoments> moments)
    {
        if (node.OpType is not ("Conv" or "Gemm") || sink.Layout.Axis != 1)
        {
            return $"{node.OpType} has no bias to take the removed channels' mean";
        }

        if (!moments.TryGetValue(node.Input[0], out var statistics) || statistics.Mean.Length != sink.Layout.Length)
        {
            return "no calibration mean for its input";
        }

        var bias = node.Input.Count > 2 ? node.Input[2] : "";
        var weightDims = constants.FloatDims(node.Input[1]);
        var biasDims = constants.FloatDims(bias);
        var outputs = weightDims is null ? 0 : (int)(sink.Axis == 0 ? weightDims[1] : weightDims[0]);
        if (weightDims is null || biasDims is not { Length: 1 } || biasDims[0] != outputs || constants.UniformValue(bias) is not null)
        {
            return "its bias is not a constant vector with one value per output";
        }

        var weights = constants.ReadFloats(node.Input[1]);
        var inputs = (int)(sink.Axis == 0 ? weightDims[0] : weightDims[1]);
        var kernel = weights.Length / (outputs * inputs);
        var values = constants.ReadFloats(bias);
        for (var m = 0; m < outputs; m++)
        {
            double shift = 0;
            foreach (var c in removed)
            {
                for (var k = 0; k < kernel; k++)
                {
                    // [out, in, kernel...] for Conv and Gemm with transB; [in, out] for Gemm without it
                    var w = sink.Axis == 0 ? weights[(c * outputs) + m] : weights[(((m * inputs) + c) * kernel) + k];
                    shift += w * statistics.Mean[c];
                }
            }

            values[m] += (float)shift;
        }

        constants.ReplaceFloats(node, 2, values);
        return null;
    }
}
