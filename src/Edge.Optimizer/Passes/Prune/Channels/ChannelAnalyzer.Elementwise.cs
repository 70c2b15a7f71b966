using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Broadcasting element-wise ops: branches meeting here must keep the same channels, so their groups join.</summary>
internal sealed partial class ChannelAnalyzer
{
    private void VisitElementwise(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.All(l => l is null))
        {
            return;
        }

        var outShape = Shape(node.Output[0]);
        if (outShape is null)
        {
            Barrier(node, inputs, "its output shape is unknown");
            return;
        }

        // Broadcasting aligns axes from the end, so a channel axis keeps its distance from the last axis.
        var outRank = outShape.Length;
        int? outAxis = null;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is { } layout)
            {
                var axis = outRank - (layout.Rank - layout.Axis);
                if (outAxis is not null && outAxis != axis)
                {
                    Barrier(node, inputs, "its inputs carry channels on different axes");
                    return;
                }

                outAxis = axis;
            }
        }

        var channelAxis = outAxis!.Value;
        var size = outShape[channelAxis];
        ChannelLayout? joined = null;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } layout)
            {
                continue;
            }

            if (layout.Length != size)
            {
                // A one-channel tensor broadcast over many channels: it cannot lose its only channel anyway.
                Freeze(layout, $"{Describe(node)} broadcasts it across {size} channels");
                continue;
            }

            joined = joined is null ? layout : Unify(node, joined, layout);
        }

        if (joined is null)
        {
            return;
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not null || node.Input[i].Length == 0)
            {
                continue;
            }

            var dims = Shape(node.Input[i]);
            if (dims is null)
            {
                Barrier(node, inputs, $"the shape of input '{node.Input[i]}' is unknown");
                return;
            }

            var position = dims.Length - (outRank - channelAxis);
            if (position < 0 || dims[position] == 1)
            {
                continue;
            }

            if (dims[position] != size || !SliceConstant(node, i, position, joined, SliceRole.Parameter))
            {
                Barrier(node, inputs, $"input '{node.Input[i]}' has {dims[position]} channels and is not a constant that can be sliced");
                return;
            }
        }

        SetOutput(node, 0, joined.WithAxis(channelAxis, outRank));
    }

    /// <summary>
    /// Two tensors meeting element-wise must keep the same channels position by position: whole groups of equal size
    /// join; positions without a group, or partial groups that do not line up, freeze what they meet.
    /// </summary>
    private ChannelLayout Unify(NodeProto node, ChannelLayout first, ChannelLayout second)
    {
        var aligned = first.Segments.Count == second.Segments.Count &&
                      first.Segments.Zip(second.Segments).All(p => p.First.Length == p.Second.Length && p.First.Multiplier == p.Second.Multiplier);
        if (!aligned)
        {
            Freeze(first, $"{Describe(node)} combines it with channels laid out differently");
            Freeze(second, $"{Describe(node)} combines it with channels laid out differently");
            return first;
        }

        foreach (var (a, b) in first.Segments.Zip(second.Segments))
        {
            if (a.IsOpaque && b.IsOpaque)
            {
                continue;
            }

            if (a.IsOpaque || b.IsOpaque)
            {
                groups.Freeze(a.IsOpaque ? b.Group : a.Group, $"{Describe(node)} combines it with channels that cannot be removed");
                continue;
            }

            var whole = a.Start == 0 && b.Start == 0 && a.Count == groups.Size(a.Group) && b.Count == groups.Size(b.Group);
            var same = groups.Find(a.Group) == groups.Find(b.Group) && a.Start == b.Start;
            if (!(whole && groups.Union(a.Group, b.Group)) && !same)
            {
                groups.Freeze(a.Group, $"{Describe(node)} combines part of its channels with another group");
                groups.Freeze(b.Group, $"{Describe(node)} combines part of its channels with another group");
            }
        }

        return first;
    }
}
