using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Applies a selection to the analyzed model in place: slices weights and parameters, rewrites group counts, split sizes, slice bounds and shapes.</summary>
internal static class ChannelSurgeon
{
    public static void Apply(ChannelAnalysis analysis, ChannelSelection selection)
    {
        var groups = analysis.Groups;
        var constants = analysis.Constants;
        IReadOnlyList<int>? KeepOf(int group) => selection.KeptOf(groups, group);
        var opset = analysis.Model.Proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
        foreach (var edit in analysis.Edits)
        {
            if (!edit.Layout.Groups.Any(g => KeepOf(g) is not null))
            {
                continue;
            }

            var kept = edit.Layout.KeptPositions(KeepOf);
            switch (edit)
            {
                case SliceConstantEdit slice:
                    constants.Slice(slice.Node, slice.Input, slice.Axis, kept);
                    break;
                case GroupCountEdit groupCount:
                    SetIntAttribute(groupCount.Node, "group", kept.Count);
                    break;
                case SplitSizesEdit split:
                    var start = 0;
                    var sizes = new long[split.Sizes.Count];
                    for (var i = 0; i < sizes.Length; i++)
                    {
                        sizes[i] = kept.Count(p => p >= start && p < start + split.Sizes[i]);
                        start += split.Sizes[i];
                    }

                    if (opset < 13)
                    {
                        SetIntsAttribute(split.Node, "split", sizes);
                    }
                    else if (split.Node.Input.Count > 1 && split.Node.Input[1].Length > 0)
                    {
                        constants.ReplaceInts(split.Node, 1, sizes);
                    }
                    else
                    {
                        constants.SetIntsInput(split.Node, 1, sizes);
                        RemoveAttribute(split.Node, "num_outputs");
                    }

                    break;
                case SliceBoundsEdit bounds:
                    var newStart = kept.Count(p => p < bounds.Start);
                    var newEnd = kept.Count(p => p < bounds.End);
                    if (opset < 10)
                    {
                        SetEntry(bounds.Node, "starts", bounds.Entry, newStart);
                        SetEntry(bounds.Node, "ends", bounds.Entry, newEnd);
                    }
                    else
                    {
                        ReplaceEntry(analysis, bounds.Node, 1, bounds.Entry, newStart);
                        ReplaceEntry(analysis, bounds.Node, 2, bounds.Entry, newEnd);
                    }

                    break;
                case ShapeEntryEdit shape:
                    ReplaceEntry(analysis, shape.Node, shape.Input, shape.Entry, kept.Count);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown channel edit {edit.GetType().Name}.");
            }
        }

        constants.Finish();

        // Declared shapes of pruned values are stale; ONNX Runtime infers them again.
        var graph = analysis.Model.Proto.Graph;
        foreach (var info in graph.ValueInfo.Where(v => analysis.Layouts.ContainsKey(v.Name)).ToList())
        {
            graph.ValueInfo.Remove(info);
        }
    }

    private static void ReplaceEntry(ChannelAnalysis analysis, NodeProto node, int input, int entry, long value)
    {
        var values = analysis.Constants.ReadInts(node.Input[input]) ?? throw new InvalidOperationException($"Input {input} of '{node.Name}' is no longer an integer constant.");
        values[entry] = value;
        analysis.Constants.ReplaceInts(node, input, values);
    }

    private static void SetIntAttribute(NodeProto node, string name, long value)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null)
        {
            node.Attribute.Add(attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int });
        }

        attribute.I = value;
    }

    private static void SetIntsAttribute(NodeProto node, string name, long[] values)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null)
        {
            node.Attribute.Add(attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints });
        }

        attribute.Ints.Clear();
        attribute.Ints.AddRange(values);
    }

    private static void SetEntry(NodeProto node, string name, int entry, long value)
    {
        var attribute = node.Attribute.First(a => a.Name == name);
        attribute.Ints[entry] = value;
    }

    private static void RemoveAttribute(NodeProto node, string name)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null)
        {
            node.Attribute.Remove(attribute);
        }
    }
}
