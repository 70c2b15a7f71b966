using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Reshape, Flatten, Squeeze and Unsqueeze. The channel axis survives when it stays the outermost part of one output
/// axis: the axes before it map onto whole output axes, and it merges only with axes after it (a Flatten before a
/// Gemm), so each channel owns a contiguous block of positions there. Splitting the channel axis (attention heads)
/// or burying it inside a merged axis freezes the groups.
/// </summary>
internal sealed partial class ChannelAnalyzer
{
    private void VisitReshape(NodeProto node, ChannelLayout?[] inputs)
    {
        if (inputs.ElementAtOrDefault(0) is not { } x)
        {
            return;
        }

        var inShape = Shape(node.Input[0]);
        var outShape = Shape(node.Output[0]);
        if (inShape is null || outShape is null || inShape.Length != x.Rank || inputs.Skip(1).Any(l => l is not null))
        {
            Barrier(node, inputs, "its shapes are unknown");
            return;
        }

        if (node.OpType == "Squeeze" && !node.Attribute.Any(a => a.Name == "axes") && (node.Input.Count < 2 || node.Input[1].Length == 0))
        {
            // Squeezing every axis of size 1 would also drop the channel axis if pruning left one channel.
            Barrier(node, inputs, "it squeezes without naming its axes");
            return;
        }

        var mapping = MapChannelAxis(inShape, outShape, x.Axis);
        if (mapping is not { } found)
        {
            Barrier(node, inputs, "it splits the channel axis or merges it behind another axis");
            return;
        }

        var output = x.Spread(found.Axis, outShape.Length, found.Factor);
        if (node.OpType == "Reshape" && !PlanReshapeShape(node, inputs, x, output))
        {
            return;
        }

        SetOutput(node, 0, output);
    }

    /// <summary>
    /// Finds the output axis the channel axis becomes the outermost part of, and how many positions each input
    /// position spreads over there; <see langword="null"/> when no such axis exists.
    /// </summary>
    private static (int Axis, int Factor)? MapChannelAxis(long[] inShape, long[] outShape, int channelAxis)
    {
        long Product(long[] dims, int from, int to)
        {
            long product = 1;
            for (var i = from; i < to; i++)
            {
                product *= dims[i];
            }

            return product;
        }

        for (var k = 0; k < outShape.Length; k++)
        {
            var before = Product(outShape, 0, k);
            for (var low = channelAxis; low >= 0; low--)
            {
                if (Product(inShape, 0, low) != before || Product(inShape, low, channelAxis) != 1)
                {
                    continue;
                }

                for (var high = channelAxis + 1; high <= inShape.Length; high++)
                {
                    if (Product(inShape, low, high) == outShape[k] && Product(inShape, high, inShape.Length) == Product(outShape, k + 1, outShape.Length))
                    {
                        return (k, checked((int)Product(inShape, channelAxis + 1, high)));
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Checks a Reshape's target shape can follow the pruning and records the edit of its channel entry.</summary>
    private bool PlanReshapeShape(NodeProto node, ChannelLayout?[] inputs, ChannelLayout x, ChannelLayout output)
    {
        var outAxis = output.Axis;
        var shape = node.Input.Count > 1 ? constants.ReadInts(node.Input[1]) : null;
        if (shape is null || NodeAttributes.Int(node, "allowzero", 0) != 0)
        {
            Barrier(node, inputs, "its target shape is computed at run time");
            return false;
        }

        // A 0 entry copies the input's size at that position; it is right only where that size does not change.
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 0 && i == x.Axis && i != outAxis)
            {
                Barrier(node, inputs, "its target shape copies the channel count into another axis");
                return false;
            }
        }

        if (shape.Length != output.Rank)
        {
            Barrier(node, inputs, "its target shape has an unexpected length");
            return false;
        }

        if (shape[outAxis] > 0)
        {
            edits.Add(new ShapeEntryEdit(node, 1, outAxis, output));
        }
        else if (shape[outAxis] == 0 && (outAxis != x.Axis || output.Segments.Any(s => s.Multiplier != 1)))
        {
            Barrier(node, inputs, "its target shape copies a merged channel axis");
            return false;
        }

        return true;
    }
}
