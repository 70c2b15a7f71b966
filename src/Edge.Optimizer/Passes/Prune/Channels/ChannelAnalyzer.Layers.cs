using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Layers with weights: they consume groups on their input channels and start groups on their output channels.</summary>
internal sealed partial class ChannelAnalyzer
{
    private void VisitConv(NodeProto node, ChannelLayout?[] inputs)
    {
        var transposed = node.OpType == "ConvTranspose";
        var weight = node.Input.Count > 1 ? constants.FloatDims(node.Input[1]) : null;
        var x = inputs.ElementAtOrDefault(0);
        if (inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "its weight or bias is computed from prunable channels");
            return;
        }

        if (weight is null || weight.Length < 3)
        {
            Barrier(node, inputs, "its weight is not a float constant");
            return;
        }

        var group = NodeAttributes.Int(node, "group", 1);
        var inChannels = transposed ? weight[0] : weight[1] * group;
        var outChannels = transposed ? weight[1] * group : weight[0];
        var bias = node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
        var biasConstant = bias is null || constants.FloatDims(bias) is not null;
        var rank = weight.Length;
        if (x is not null)
        {
            if (x.Axis != 1 || x.Length != inChannels)
            {
                Barrier(node, inputs, $"its input channels are not on axis 1 with {inChannels} entries");
            }
            else if (group == 1)
            {
                SliceConstant(node, 1, transposed ? 0 : 1, x, SliceRole.Sink);
            }
            else if (!transposed && group == inChannels && outChannels == inChannels && biasConstant)
            {
                // Depthwise: output channel c is input channel c filtered, so the group passes through and the
                // group count shrinks with it.
                if (SliceConstant(node, 1, 0, x, SliceRole.Parameter) && (bias is null || SliceConstant(node, 2, 0, x, SliceRole.Parameter)))
                {
                    edits.Add(new GroupCountEdit(node, x));
                    SetOutput(node, 0, x.WithAxis(1, rank));
                }

                return;
            }
            else
            {
                Barrier(node, inputs, $"grouped convolution (group={group}, {inChannels} input and {outChannels} output channels) ties channel counts to groups");
            }
        }

        if (group != 1 || !biasConstant || outChannels < 2)
        {
            return;
        }

        var created = groups.Add((int)outChannels, Describe(node));
        var layout = ChannelLayout.ForGroup(created, (int)outChannels, 1, rank);
        edits.Add(new SliceConstantEdit(node, 1, transposed ? 1 : 0, layout, SliceRole.Source));
        if (bias is not null)
        {
            edits.Add(new SliceConstantEdit(node, 2, 0, layout, SliceRole.Source));
        }

        sources.Add(new ChannelSource(node, 1, transposed ? 1 : 0, created));
        SetOutput(node, 0, layout);
    }

    private void VisitGemm(NodeProto node, ChannelLayout?[] inputs)
    {
        var b = node.Input.Count > 1 ? constants.FloatDims(node.Input[1]) : null;
        if (inputs.Skip(1).Any(l => l is not null) || b is not { Length: 2 })
        {
            Barrier(node, inputs, "its B operand is not a constant matrix");
            return;
        }

        var transA = NodeAttributes.Int(node, "transA", 0) != 0;
        var transB = NodeAttributes.Int(node, "transB", 0) != 0;
        if (inputs.ElementAtOrDefault(0) is { } a)
        {
            if (a.Rank != 2 || a.Axis != (transA ? 0 : 1))
            {
                Barrier(node, inputs, "its input features are not on the reduced axis");
            }
            else
            {
                SliceConstant(node, 1, transB ? 1 : 0, a, SliceRole.Sink);
            }
        }

        var n = (int)(transB ? b[0] : b[1]);
        var c = node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
        var cDims = c is null ? [] : constants.FloatDims(c);
        if (cDims is null || n < 2)
        {
            return;
        }

        var created = groups.Add(n, Describe(node));
        var layout = ChannelLayout.ForGroup(created, n, 1, 2);
        edits.Add(new SliceConstantEdit(node, 1, transB ? 0 : 1, layout, SliceRole.Source));
        if (cDims.Length > 0 && cDims[^1] == n)
        {
            edits.Add(new SliceConstantEdit(node, 2, cDims.Length - 1, layout, SliceRole.Source));
        }
        else if (cDims.Length > 0 && cDims[^1] != 1)
        {
            groups.Freeze(created, $"the bias of {Describe(node)} has shape [{string.Join(", ", cDims)}], which does not broadcast per output column");
        }

        sources.Add(new ChannelSource(node, 1, transB ? 0 : 1, created));
        SetOutput(node, 0, layout);
    }

    private void VisitMatMul(NodeProto node, ChannelLayout?[] inputs)
    {
        var b = node.Input.Count > 1 ? constants.FloatDims(node.Input[1]) : null;
        var rankA = Rank(node.Input[0]);
        var rankOut = Rank(node.Output[0]);
        if (inputs.ElementAtOrDefault(1) is not null || b is not { Length: 2 } || rankA is null or < 2 || rankOut is null)
        {
            Barrier(node, inputs, "it multiplies by something other than a constant matrix");
            return;
        }

        if (inputs[0] is { } a)
        {
            if (a.Axis != rankA - 1)
            {
                Barrier(node, inputs, "its input features are not on the last axis");
            }
            else
            {
                SliceConstant(node, 1, 0, a, SliceRole.Sink);
            }
        }

        var n = (int)b[1];
        if (n < 2)
        {
            return;
        }

        var created = groups.Add(n, Describe(node));
        var layout = ChannelLayout.ForGroup(created, n, rankOut.Value - 1, rankOut.Value);
        edits.Add(new SliceConstantEdit(node, 1, 1, layout, SliceRole.Source));
        sources.Add(new ChannelSource(node, 1, 1, created));
        SetOutput(node, 0, layout);
    }

    private void VisitNormalization(NodeProto node, ChannelLayout?[] inputs, int parameterCount)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            if (inputs.Any(l => l is not null))
            {
                Barrier(node, inputs, "its parameters are computed from prunable channels");
            }

            return;
        }

        if (x.Axis != 1 || inputs.Skip(1).Any(l => l is not null) || node.Output.Skip(1).Any(IsUsed))
        {
            Barrier(node, inputs, x.Axis != 1 ? "channels are not on axis 1" : "it runs in training mode or with computed parameters");
            return;
        }

        for (var i = 1; i <= parameterCount; i++)
        {
            if (!SliceConstant(node, i, 0, x, SliceRole.Parameter))
            {
                return;
            }
        }

        if (node.OpType == "BatchNormalization" && x.Segments is [{ Start: 0 } segment] && segment.Count == groups.Size(segment.Group))
        {
            gammas.Add((node, segment.Group));
        }

        SetOutput(node, 0, x);
    }

    private void VisitUnary(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            if (inputs.Any(l => l is not null))
            {
                Barrier(node, inputs, "a parameter is computed from prunable channels");
            }

            return;
        }

        if (inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "a parameter is computed from prunable channels");
            return;
        }

        for (var i = 0; i < node.Output.Count; i++)
        {
            SetOutput(node, i, x);
        }
    }

    private void VisitPool(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        if (x.Axis != 1 || x.Segments.Any(s => s.Multiplier != 1))
        {
            Barrier(node, inputs, "channels are not on axis 1");
        }
        else if (node.Output.Skip(1).Any(IsUsed))
        {
            Barrier(node, inputs, "its Indices output encodes channel positions");
        }
        else
        {
            SetOutput(node, 0, x);
        }
    }
}
