using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Ops that move, cut, join or reshape the channel axis.</summary>
internal sealed partial class ChannelAnalyzer
{
    private void VisitConcat(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.All(l => l is null))
        {
            return;
        }

        var rank = Rank(node.Output[0]);
        if (rank is null)
        {
            Barrier(node, inputs, "its output shape is unknown");
            return;
        }

        var axis = Normalize(NodeAttributes.Int(node, "axis", 1), rank.Value);
        if (inputs.All(l => l is null || l.Axis != axis))
        {
            // Joining along another axis: like an element-wise op, every input must keep the same channels.
            var joined = inputs.All(l => l is not null) ? inputs.Aggregate((a, b) => Unify(node, a!, b!)) : null;
            if (joined is null)
            {
                Barrier(node, inputs, "it joins prunable channels with a tensor whose channels cannot be removed");
                return;
            }

            SetOutput(node, 0, joined);
            return;
        }

        var segments = new List<ChannelSegment>();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is { } layout)
            {
                if (layout.Axis != axis)
                {
                    Barrier(node, inputs, "its inputs carry channels on different axes");
                    return;
                }

                segments.AddRange(layout.Segments);
            }
            else if (Shape(node.Input[i]) is { } dims && dims.Length == rank)
            {
                if (dims[axis] > 0)
                {
                    segments.Add(ChannelSegment.Opaque((int)dims[axis]));
                }
            }
            else
            {
                Barrier(node, inputs, $"the shape of input '{node.Input[i]}' is unknown");
                return;
            }
        }

        SetOutput(node, 0, new ChannelLayout(axis, rank.Value, segments));
    }

    private void VisitSplit(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var axis = Normalize(NodeAttributes.Int(node, "axis", 0), x.Rank);
        if (axis != x.Axis)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                SetOutput(node, i, x);
            }

            return;
        }

        var sizes = node.Output.Select(o => Shape(o) is { } dims && dims.Length == x.Rank ? (int?)dims[axis] : null).ToList();
        if (sizes.Any(s => s is null) || sizes.Sum() != x.Length || inputs.Skip(1).Any(l => l is not null) ||
            (node.Input.Count > 1 && node.Input[1].Length > 0 && constants.ReadInts(node.Input[1]) is null))
        {
            Barrier(node, inputs, "its split sizes are not known constants");
            return;
        }

        var start = 0;
        var parts = new List<ChannelLayout>();
        foreach (var size in sizes)
        {
            var part = x.Range(start, start + size!.Value, axis, x.Rank);
            if (part is null)
            {
                Barrier(node, inputs, "a split boundary falls inside a channel");
                return;
            }

            parts.Add(part);
            start += size.Value;
        }

        edits.Add(new SplitSizesEdit(node, x, [.. sizes.Select(s => s!.Value)]));
        for (var i = 0; i < parts.Count; i++)
        {
            SetOutput(node, i, parts[i]);
        }
    }

    private void VisitSlice(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var fromAttributes = opset < 10;
        long[]? Ints(int input, string attribute) => fromAttributes
            ? NodeAttributes.Ints(node, attribute)
            : input < node.Input.Count && node.Input[input].Length > 0 ? constants.ReadInts(node.Input[input]) : null;
        var starts = Ints(1, "starts");
        var ends = Ints(2, "ends");
        var hasAxes = fromAttributes ? node.Attribute.Any(a => a.Name == "axes") : node.Input.Count > 3 && node.Input[3].Length > 0;
        var axes = hasAxes ? Ints(3, "axes") : starts is null ? null : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        var hasSteps = !fromAttributes && node.Input.Count > 4 && node.Input[4].Length > 0;
        var steps = hasSteps ? Ints(4, "steps") : axes?.Select(_ => 1L).ToArray();
        if (starts is null || ends is null || axes is null || steps is null || inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "its bounds are not constants");
            return;
        }

        var layout = x;
        for (var entry = 0; entry < axes.Length; entry++)
        {
            if (Normalize(axes[entry], x.Rank) != x.Axis)
            {
                continue;
            }

            var length = x.Length;
            var start = (int)Math.Clamp(starts[entry] < 0 ? starts[entry] + length : starts[entry], 0, length);
            var end = (int)Math.Clamp(ends[entry] < 0 ? ends[entry] + length : ends[entry], 0, length);
            var cut = steps[entry] == 1 && start < end ? x.Range(start, end, x.Axis, x.Rank) : null;
            if (cut is null)
            {
                Barrier(node, inputs, "it slices the channel axis with a step, an empty range or inside a channel");
                return;
            }

            edits.Add(new SliceBoundsEdit(node, entry, x, start, end));
            layout = cut;
        }

        SetOutput(node, 0, layout);
    }

    private void VisitTranspose(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var perm = NodeAttributes.Ints(node, "perm") ?? Enumerable.Range(0, x.Rank).Reverse().Select(i => (long)i).ToArray();
        SetOutput(node, 0, x.WithAxis(Array.IndexOf(perm, (long)x.Axis), x.Rank));
    }

    private void VisitSoftmax(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        // Before opset 13 these ops flatten the input to 2-D at the axis, so every axis from there on is mixed.
        var axis = Normalize(NodeAttributes.Int(node, "axis", opset < 13 ? 1 : -1), x.Rank);
        var independent = opset < 13 ? x.Axis < axis : x.Axis != axis;
        if (independent)
        {
            SetOutput(node, 0, x);
        }
        else
        {
            Barrier(node, inputs, "it normalizes across the channel axis");
        }
    }

    private void VisitLayerNormalization(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is { } x && inputs.Skip(1).All(l => l is null) && x.Axis < Normalize(NodeAttributes.Int(node, "axis", -1), x.Rank))
        {
            SetOutput(node, 0, x);
        }
        else
        {
            Barrier(node, inputs, "it normalizes across the channel axis");
        }
    }

    private void VisitReduce(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var isArg = node.OpType is "ArgMax" or "ArgMin";
        var axesFromInput = !isArg && (opset >= 18 || (node.OpType == "ReduceSum" && opset >= 13));
        long[]? axes = isArg ? [NodeAttributes.Int(node, "axis", 0)]
            : axesFromInput ? (node.Input.Count > 1 && node.Input[1].Length > 0 ? constants.ReadInts(node.Input[1]) : [])
            : NodeAttributes.Ints(node, "axes") ?? [];
        if (axes is null || axes.Length == 0)
        {
            Barrier(node, inputs, "it reduces over every axis or over computed axes");
            return;
        }

        var normalized = axes.Select(a => Normalize(a, x.Rank)).ToList();
        if (normalized.Contains(x.Axis))
        {
            Barrier(node, inputs, "it reduces over the channel axis");
            return;
        }

        var keep = NodeAttributes.Int(node, "keepdims", 1) != 0;
        var axis = keep ? x.Axis : x.Axis - normalized.Count(a => a < x.Axis);
        SetOutput(node, 0, x.WithAxis(axis, keep ? x.Rank : x.Rank - normalized.Count));
    }

    private void VisitPad(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var pads = opset < 11 ? NodeAttributes.Ints(node, "pads") : node.Input.Count > 1 ? constants.ReadInts(node.Input[1]) : null;
        var hasAxes = node.Input.Count > 3 && node.Input[3].Length > 0;
        if (pads is null || hasAxes || pads.Length != 2 * x.Rank || pads[x.Axis] != 0 || pads[x.Axis + x.Rank] != 0 || inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "it may pad the channel axis");
            return;
        }

        SetOutput(node, 0, x);
    }

    private void VisitResize(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var inShape = Shape(node.Input[0]);
        var outShape = Shape(node.Output[0]);
        if (inShape is null || outShape is null || inShape.Length != outShape.Length || inShape[x.Axis] != outShape[x.Axis] ||
            node.Attribute.Any(a => a.Name == "axes") || inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "it may resize the channel axis");
            return;
        }

        // Explicit output sizes name the channel count, so they follow the pruning; scales of 1 need nothing.
        var sizesInput = node.OpType == "Resize" && opset >= 11 ? 3 : -1;
        if (sizesInput > 0 && node.Input.Count > sizesInput && node.Input[sizesInput].Length > 0)
        {
            if (constants.ReadInts(node.Input[sizesInput]) is not { } sizes || sizes.Length != x.Rank)
            {
                Barrier(node, inputs, "its output sizes are not constants");
                return;
            }

            edits.Add(new ShapeEntryEdit(node, sizesInput, x.Axis, x));
        }
        else
        {
            var scalesInput = node.OpType == "Resize" ? (opset >= 11 ? 2 : 1) : 1;
            var scales = node.OpType == "Upsample" && opset < 9
                ? node.Attribute.FirstOrDefault(a => a.Name == "scales")?.Floats.ToArray()
                : scalesInput < node.Input.Count && node.Input[scalesInput].Length > 0 && constants.FloatDims(node.Input[scalesInput]) is not null
                    ? constants.ReadFloats(node.Input[scalesInput])
                    : null;
            if (scales is null || scales.Length != x.Rank || scales[x.Axis] != 1f)
            {
                Barrier(node, inputs, "its scales are not constants that keep the channel axis");
                return;
            }
        }

        SetOutput(node, 0, x);
    }
}
