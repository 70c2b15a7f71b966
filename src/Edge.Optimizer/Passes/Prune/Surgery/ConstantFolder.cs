using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Surgery;

/// <summary>
/// Folds Reshape, Flatten and Identity nodes whose inputs are all constant into initializers, so a weight that an
/// exporter stored in another shape (mnist-8 reshapes its dense weight at run time) can be sliced directly.
/// These folds only relabel the same bytes, so the model never grows.
/// </summary>
internal static class ConstantFolder
{
    public static int Fold(OnnxModel model)
    {
        var graph = model.Proto.Graph;
        var folded = 0;
        foreach (var node in graph.Node.ToList())
        {
            if (node.Domain is not ("" or "ai.onnx") || node.OpType is not ("Reshape" or "Flatten" or "Identity") || node.Output.Count != 1 ||
                graph.Output.Any(o => o.Name == node.Output[0]))
            {
                continue;
            }

            var data = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[0]);
            if (data is null || graph.Input.Any(i => i.Name == data.Name && model.Proto.IrVersion >= 4))
            {
                continue;
            }

            var dims = NewDims(node, data, graph, model.ExternalDataDirectory);
            if (dims is null)
            {
                continue;
            }

            var tensor = new TensorProto { Name = node.Output[0], DataType = data.DataType, Dims = { dims } };
            TensorData.WriteRawBytes(tensor, model.ReadTensorBytes(data));
            graph.Node.Remove(node);
            graph.Initializer.Add(tensor);
            if (model.Proto.IrVersion < 4)
            {
                var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = new TensorShapeProto() } };
                type.TensorType.Shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
                graph.Input.Add(new ValueInfoProto { Name = tensor.Name, Type = type });
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct().ToList())
            {
                RemoveIfUnused(model, input);
            }

            var info = graph.ValueInfo.FirstOrDefault(v => v.Name == tensor.Name);
            if (info is not null)
            {
                graph.ValueInfo.Remove(info);
            }

            folded++;
        }

        return folded;
    }

    private static long[]? NewDims(NodeProto node, TensorProto data, GraphProto graph, string? externalDirectory)
    {
        var dims = data.Dims.ToArray();
        switch (node.OpType)
        {
            case "Identity":
                return dims;
            case "Flatten":
                var axis = (int)(node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 1);
                axis = axis < 0 ? axis + dims.Length : axis;
                return [dims.Take(axis).Aggregate(1L, (a, b) => a * b), dims.Skip(axis).Aggregate(1L, (a, b) => a * b)];
            default:
                if (node.Input.Count < 2 || graph.Initializer.FirstOrDefault(t => t.Name == node.Input[1]) is not { } shapeTensor ||
                    node.Attribute.Any(a => a.Name == "allowzero" && a.I != 0))
                {
                    return null;
                }

                var shape = TensorData.ReadInt64s(shapeTensor, externalDirectory);
                var total = dims.Aggregate(1L, (a, b) => a * b);
                var result = new long[shape.Length];
                var inferred = -1;
                for (var i = 0; i < shape.Length; i++)
                {
                    result[i] = shape[i] == 0 && i < dims.Length ? dims[i] : shape[i];
                    if (shape[i] == -1)
                    {
                        inferred = i;
                    }
                }

                if (inferred >= 0)
                {
                    var known = result.Where((_, i) => i != inferred).Aggregate(1L, (a, b) => a * b);
                    result[inferred] = known == 0 ? 0 : total / known;
                }

                return result.Aggregate(1L, (a, b) => a * b) == total && result.All(d => d >= 0) ? result : null;
        }
    }

    private static void RemoveIfUnused(OnnxModel model, string name)
    {
        var graph = model.Proto.Graph;
        var index = model.GetGraph();
        if (index.GetConsumers(name).Count > 0 || index.IsGraphOutput(name))
        {
            return;
        }

        var tensor = graph.Initializer.FirstOrDefault(t => t.Name == name);
        if (tensor is not null)
        {
            graph.Initializer.Remove(tensor);
            var input = graph.Input.FirstOrDefault(i => i.Name == name);
            if (input is not null)
            {
                graph.Input.Remove(input);
            }
        }
    }
}
