using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Prune.Surgery;

/// <summary>
/// Folds Reshape, Flatten, Squeeze, Unsqueeze and Identity nodes whose data is constant, so a weight that an exporter
/// stored in another shape (mnist-8 reshapes its dense weight at run time; Caffe2 exports unsqueeze their
/// per-channel scales) can be sliced directly. An initializer becomes a relabelled initializer; a ConstantOfShape
/// output becomes a ConstantOfShape of the new shape. These folds only relabel values, so the model never grows.
/// </summary>
internal static class ConstantFolder
{
    public static int Fold(OnnxModel model)
    {
        var graph = model.Proto.Graph;
        var opset = model.Proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
        var folded = 0;
        foreach (var node in graph.Node.ToList())
        {
            if (node.Domain is not ("" or "ai.onnx") || node.OpType is not ("Reshape" or "Flatten" or "Identity" or "Squeeze" or "Unsqueeze") ||
                node.Output.Count != 1 || node.Input.Count == 0 || graph.Output.Any(o => o.Name == node.Output[0]))
            {
                continue;
            }

            var data = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[0]);
            var filler = data is null ? graph.Node.FirstOrDefault(n => n.OpType == "ConstantOfShape" && n.Output.Contains(node.Input[0]) && n.Input.Count > 0) : null;
            var fillerShape = filler is null ? null : graph.Initializer.FirstOrDefault(t => t.Name == filler.Input[0]);
            if ((data is null && fillerShape is null) || (data is not null && graph.Input.Any(i => i.Name == data.Name && model.Proto.IrVersion >= 4)))
            {
                continue;
            }

            var dims = data is not null ? data.Dims.ToArray() : TensorData.ReadInt64s(fillerShape!, model.ExternalDataDirectory);
            var newDims = NewDims(node, dims, graph, opset, model.ExternalDataDirectory);
            if (newDims is null)
            {
                continue;
            }

            graph.Node.Remove(node);
            if (data is not null)
            {
                var tensor = new TensorProto { Name = node.Output[0], DataType = data.DataType, Dims = { newDims } };
                TensorData.WriteRawBytes(tensor, model.ReadTensorBytes(data));
                AddInitializer(model, tensor);
            }
            else
            {
                var shape = new TensorProto { Name = node.Output[0] + "__shape", DataType = (int)DataType.Int64, Dims = { newDims.Length } };
                TensorData.WriteInt64s(shape, newDims);
                AddInitializer(model, shape);
                var replacement = filler!.Clone();
                replacement.Name = node.Name.Length > 0 ? node.Name : filler.Name;
                replacement.Input[0] = shape.Name;
                replacement.Output[0] = node.Output[0];
                graph.Node.Insert(0, replacement);
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct().ToList())
            {
                RemoveIfUnused(model, input);
            }

            var info = graph.ValueInfo.FirstOrDefault(v => v.Name == node.Output[0]);
            if (info is not null)
            {
                graph.ValueInfo.Remove(info);
            }

            folded++;
        }

        return folded;
    }

    private static void AddInitializer(OnnxModel model, TensorProto tensor)
    {
        model.Proto.Graph.Initializer.Add(tensor);
        if (model.Proto.IrVersion < 4)
        {
            // IR versions before 4 require every initializer to be declared as a graph input too.
            var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = new TensorShapeProto() } };
            type.TensorType.Shape.Dim.AddRange(tensor.Dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            model.Proto.Graph.Input.Add(new ValueInfoProto { Name = tensor.Name, Type = type });
        }
    }

    private static long[]? NewDims(NodeProto node, long[] dims, GraphProto graph, long opset, string? externalDirectory)
    {
        long[]? Ints(int input, string attribute) =>
            node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } a ? [.. a.Ints]
            : input < node.Input.Count && graph.Initializer.FirstOrDefault(t => t.Name == node.Input[input]) is { } t ? TensorData.ReadInt64s(t, externalDirectory)
            : null;
        switch (node.OpType)
        {
            case "Identity":
                return dims;
            case "Flatten":
                var axis = (int)(node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 1);
                axis = axis < 0 ? axis + dims.Length : axis;
                return [dims.Take(axis).Aggregate(1L, (a, b) => a * b), dims.Skip(axis).Aggregate(1L, (a, b) => a * b)];
            case "Squeeze":
                var squeezed = Ints(1, "axes")?.Select(a => a < 0 ? a + dims.Length : a).ToHashSet();
                return squeezed is null ? [.. dims.Where(d => d != 1)] : squeezed.All(a => a < dims.Length && dims[a] == 1) ? [.. dims.Where((_, i) => !squeezed.Contains(i))] : null;
            case "Unsqueeze":
                var inserted = Ints(1, "axes");
                if (inserted is null)
                {
                    return null;
                }

                var rank = dims.Length + inserted.Length;
                var at = inserted.Select(a => a < 0 ? a + rank : a).ToHashSet();
                var result = new long[rank];
                for (int i = 0, source = 0; i < rank; i++)
                {
                    result[i] = at.Contains(i) ? 1 : dims[source++];
                }

                return result;
            default:
                return ReshapeDims(node, dims, graph, externalDirectory);
        }
    }

    private static long[]? ReshapeDims(NodeProto node, long[] dims, GraphProto graph, string? externalDirectory)
    {
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

            return;
        }

        var filler = graph.Node.FirstOrDefault(n => n.OpType == "ConstantOfShape" && n.Output.Contains(name));
        if (filler is not null)
        {
            graph.Node.Remove(filler);
            RemoveIfUnused(model, filler.Input[0]);
        }
    }
}
