using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Graph;

/// <summary>
/// Raises the default-domain opset of a model (for example to 13, the first with per-channel DequantizeLinear),
/// rewriting the nodes whose meaning changed on the way: attributes that became inputs (Squeeze, Unsqueeze, Split,
/// ReduceSum, Clip, Pad, Slice, TopK, Reshape), Softmax's 2-D coercion, Dropout (an identity at inference) and
/// Resize-10's coordinate convention. Ops whose old form cannot be expressed are refused by name.
/// </summary>
/// <remarks>
/// The rewrites produce each op's opset-13 form whatever the target, so a target below 13 is only right for models
/// without Squeeze, Unsqueeze, ReduceSum or Split nodes (their axes or split attribute becomes an input, as opset 13 wants).
/// </remarks>
public static class OpsetUpgrader
{
    /// <summary>
    /// Raises the model's default-domain (<c>""</c> or <c>ai.onnx</c>) opset to <paramref name="target"/> in place,
    /// in the main graph and every subgraph, and the IR version to at least 7. Nodes of other domains are left alone.
    /// Does nothing when the opset is already at or above <paramref name="target"/>.
    /// </summary>
    /// <param name="model">The model to change in place.</param>
    /// <param name="target">The default-domain opset wanted.</param>
    /// <param name="names">Names for the initializers and nodes the rewrites add; built from <paramref name="model"/>.</param>
    /// <returns>The opset the model had (1 when it imported no default domain).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="names"/> is null.</exception>
    /// <exception cref="OnnxModelException">
    /// A node cannot be converted (the message names it, its op type and why, and says to re-export the model), or the
    /// rewritten graph has a cycle. The model may be partly rewritten: upgrade a copy when the original must survive.
    /// </exception>
    public static int Upgrade(ModelProto model, int target, NameAllocator names)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(names);
        var import = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        var current = (int)(import?.Version ?? 1);
        if (current >= target)
        {
            return current;
        }

        foreach (var graph in Graphs(model.Graph))
        {
            for (var i = 0; i < graph.Node.Count; i++)
            {
                var node = graph.Node[i];
                if (node.Domain is "" or "ai.onnx")
                {
                    var extra = Convert(node, current, target, graph, names);
                    for (var e = 0; e < extra.Count; e++)
                    {
                        graph.Node.Insert(i + 1 + e, extra[e]);
                    }

                    i += extra.Count;
                }
            }

            GraphOrder.Sort(graph);
        }

        if (import is null)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = target });
        }
        else
        {
            import.Version = target;
        }

        model.IrVersion = Math.Max(model.IrVersion, 7);
        return current;
    }

    private static IEnumerable<GraphProto> Graphs(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.Graphs.Prepend(a.G).OfType<GraphProto>()).SelectMany(Graphs).Prepend(graph);

    /// <summary>Rewrites <paramref name="node"/> in place and returns nodes to insert after it (Softmax's reshape).</summary>
    private static List<NodeProto> Convert(NodeProto node, int version, int target, GraphProto graph, NameAllocator names)
    {
        switch (node.OpType)
        {
            case "Squeeze" or "Unsqueeze" or "ReduceSum":
                MoveIntsToInput(node, "axes", 1, graph, names);
                break;
            case "Split":
                MoveIntsToInput(node, "split", 1, graph, names);
                break;
            case "Reshape" when version < 5:
                MoveIntsToInput(node, "shape", 1, graph, names);
                break;
            case "TopK" when version < 10:
                MoveIntsToInput(node, "k", 1, graph, names, asScalar: false);
                break;
            case "Slice" when version < 10:
                var axes = Take(node, "axes");
                MoveIntsToInput(node, "starts", 1, graph, names);
                MoveIntsToInput(node, "ends", 2, graph, names);
                if (axes is not null)
                {
                    node.Input.Add(AddInt64s(graph, names, node.Name + "_axes", axes.Ints));
                }

                break;
            case "Clip" when version < 11:
                var min = Take(node, "min");
                var max = Take(node, "max");
                node.Input.Add(min is null ? "" : AddFloat(graph, names, node.Name + "_min", min.F));
                node.Input.Add(max is null ? "" : AddFloat(graph, names, node.Name + "_max", max.F));
                break;
            case "Pad" when version < 11:
                MoveIntsToInput(node, "pads", 1, graph, names);
                var value = Take(node, "value");
                if (value is not null && value.F != 0)
                {
                    node.Input.Add(AddFloat(graph, names, node.Name + "_value", value.F));
                }

                break;
            case "Dropout" when version < 12:
                if (node.Output.Count > 1 && node.Output[1].Length > 0 && graph.Node.Any(n => n.Input.Contains(node.Output[1])))
                {
                    throw Refuse(node, version, target, "its mask output is used");
                }

                node.OpType = "Identity";
                node.Attribute.Clear();
                while (node.Output.Count > 1)
                {
                    node.Output.RemoveAt(1);
                }

                break;
            case "BatchNormalization" when version < 9:
                var spatial = Take(node, "spatial");
                Take(node, "is_test");
                Take(node, "consumed_inputs");
                if (spatial is not null && spatial.I == 0)
                {
                    throw Refuse(node, version, target, "spatial=0 has no equivalent after opset 9");
                }

                break;
            case "Concat" when version < 4 && node.Attribute.All(a => a.Name != "axis"):
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                break;
            case "Resize" when version == 10:
                node.Input.Insert(1, "");
                node.Attribute.Add(new AttributeProto { Name = "coordinate_transformation_mode", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("asymmetric") });
                node.Attribute.Add(new AttributeProto { Name = "nearest_mode", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("floor") });
                break;
            case "Softmax" or "LogSoftmax" or "Hardmax":
                return CoerceTo2D(node, names);
            case "Upsample" or "Scatter" or "Cast" when version < 6 || node.OpType != "Cast":
                throw Refuse(node, version, target, "it was removed or changed incompatibly");
            case "Add" or "Sub" or "Mul" or "Div" or "Gemm" or "Sum" or "Max" or "Min" or "Mean" or "Pow" or "Equal" or "Less" or "Greater" or "And" or "Or" or "Xor" when version < 7 && node.Attribute.Any(a => a.Name == "broadcast"):
                throw Refuse(node, version, target, "it uses the pre-opset-7 'broadcast' attribute");
        }

        return [];
    }

    /// <summary>Before opset 13 Softmax flattened its input to 2-D at <c>axis</c>; keep that with Flatten, Softmax, Reshape.</summary>
    private static List<NodeProto> CoerceTo2D(NodeProto node, NameAllocator names)
    {
        var axisAttribute = node.Attribute.FirstOrDefault(a => a.Name == "axis");
        var axis = axisAttribute?.I ?? 1;
        var input = node.Input[0];
        var output = node.Output[0];
        var flat = names.Allocate(input + "_flattened");
        var shape = names.Allocate(input + "_shape");
        var result = names.Allocate(output + "_2d");
        var flatten = new NodeProto { OpType = "Flatten", Name = names.Allocate(node.Name + "_flatten"), Input = { input }, Output = { flat } };
        flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
        var shapeOf = new NodeProto { OpType = "Shape", Name = names.Allocate(node.Name + "_shape"), Input = { input }, Output = { shape } };
        node.Input[0] = flat;
        node.Output[0] = result;
        node.Attribute.Remove(axisAttribute);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        var reshape = new NodeProto { OpType = "Reshape", Name = names.Allocate(node.Name + "_restore"), Input = { result, shape }, Output = { output } };
        return [flatten, shapeOf, reshape]; // the caller restores topological order
    }

    private static void MoveIntsToInput(NodeProto node, string attribute, int position, GraphProto graph, NameAllocator names, bool asScalar = false)
    {
        var taken = Take(node, attribute);
        if (taken is null)
        {
            return;
        }

        var values = taken.Type == AttributeProto.Types.AttributeType.Int ? new[] { taken.I } : taken.Ints.ToArray();
        while (node.Input.Count < position)
        {
            node.Input.Add("");
        }

        var name = AddInt64s(graph, names, $"{(node.Name.Length > 0 ? node.Name : node.OpType)}_{attribute}", values, asScalar);
        if (node.Input.Count == position)
        {
            node.Input.Add(name);
        }
        else
        {
            node.Input.Insert(position, name);
        }
    }

    private static AttributeProto? Take(NodeProto node, string name)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null)
        {
            node.Attribute.Remove(attribute);
        }

        return attribute;
    }

    private static string AddInt64s(GraphProto graph, NameAllocator names, string preferred, IEnumerable<long> values, bool asScalar = false)
    {
        var array = values.ToArray();
        var name = names.Allocate(preferred);
        graph.Initializer.Add(TensorFactory.Raw(name, DataType.Int64, asScalar ? [] : [array.Length], MemoryMarshal.AsBytes(array.AsSpan())));
        return name;
    }

    private static string AddFloat(GraphProto graph, NameAllocator names, string preferred, float value)
    {
        var name = names.Allocate(preferred);
        graph.Initializer.Add(TensorFactory.Raw(name, DataType.Float, [], BitConverter.GetBytes(value)));
        return name;
    }

    private static OnnxModelException Refuse(NodeProto node, int version, int target, string why) =>
        new($"Cannot raise the model from opset {version} to {target}: node '{node.Name}' ({node.OpType}) cannot be converted because {why}. Re-export the model at opset {target} or newer.");
}
