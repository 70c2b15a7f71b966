using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Prune.Magnitude;

/// <summary>Finds the layers whose weights unstructured and 2:4 pruning may change, in topological order, with a reason for each layer skipped.</summary>
internal static class WeightLayerFinder
{
    public static (List<WeightLayer> Layers, List<(string Name, string Reason)> Skipped) Find(Edge.Onnx.OnnxModel model)
    {
        var graph = model.GetGraph();
        var initializers = model.Proto.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var overridable = model.Proto.IrVersion >= 4 ? model.Proto.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal) : [];
        var layers = new List<WeightLayer>();
        var skipped = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = graph.TopologicalOrder();
        for (var index = 0; index < order.Count; index++)
        {
            var node = order[index];
            if (node.Domain is not ("" or "ai.onnx") || node.OpType is not ("Conv" or "ConvTranspose" or "Gemm" or "MatMul") || node.Input.Count < 2)
            {
                continue;
            }

            var name = node.Name.Length > 0 ? node.Name : $"{node.OpType}#{index}";
            if (!initializers.TryGetValue(node.Input[1], out var weight) || overridable.Contains(weight.Name))
            {
                skipped.Add((name, "its weight is not a stored constant (computed, generated or overridable)"));
                continue;
            }

            if (weight.DataType is not ((int)DataType.Float or (int)DataType.Float16 or (int)DataType.Double or (int)DataType.Bfloat16))
            {
                skipped.Add((name, $"its weight is {Edge.Onnx.Graph.TensorElementTypes.Name(weight.DataType)}, not a float type"));
                continue;
            }

            if (!seen.Add(weight.Name))
            {
                skipped.Add((name, $"it shares weight '{weight.Name}' with an earlier layer, which was pruned once"));
                continue;
            }

            var axis = node.OpType switch
            {
                "Conv" => 1,
                "ConvTranspose" => 0,
                "Gemm" => node.Attribute.Any(a => a.Name == "transB" && a.I != 0) ? 1 : 0,
                _ => weight.Dims.Count - 2,
            };
            if (axis < 0 || weight.Dims.Count < 2)
            {
                skipped.Add((name, $"its weight has rank {weight.Dims.Count}"));
                continue;
            }

            layers.Add(new WeightLayer(node, name, weight, axis));
        }

        return (layers, skipped);
    }
}
