using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Prune.Surgery;

/// <summary>The rewrites: each goes to a private copy of the constant, owned by one node input.</summary>
internal sealed partial class ConstantStore
{
    /// <summary>Keeps only <paramref name="keep"/> along <paramref name="axis"/> of the float constant read by <paramref name="node"/>'s input <paramref name="inputIndex"/>.</summary>
    public void Slice(NodeProto node, int inputIndex, int axis, IReadOnlyList<int> keep)
    {
        var value = node.Input[inputIndex];
        var dims = FloatDims(value) ?? throw new InvalidOperationException($"Input {inputIndex} of node '{node.Name}' is not a float constant.");
        var newDims = dims.ToArray();
        newDims[axis] = keep.Count;
        if (Tensor(value) is { } source)
        {
            var values = TensorSlicer.Slice(TensorData.ReadFloats(source, model.ExternalDataDirectory), dims, axis, keep);
            var target = Own(node, inputIndex, source);
            target.Dims.Clear();
            target.Dims.AddRange(newDims);
            TensorData.WriteFloats(target, values);
            changedInitializers.Add(target.Name);
            return;
        }

        // ConstantOfShape: the values are uniform, so only the shape changes.
        var shapeName = OwnConstantOfShape(node, inputIndex).Input[0];
        var shape = initializers[shapeName];
        TensorData.WriteInt64s(shape, newDims);
    }

    /// <summary>Replaces the values of the integer constant read by <paramref name="node"/>'s input <paramref name="inputIndex"/> (same element count).</summary>
    public void ReplaceInts(NodeProto node, int inputIndex, long[] values)
    {
        var source = Tensor(node.Input[inputIndex]) ?? throw new InvalidOperationException($"Input {inputIndex} of node '{node.Name}' is not a constant.");
        var target = Own(node, inputIndex, source);
        TensorData.WriteInt64s(target, values);
    }

    /// <summary>Replaces the values of the float initializer read by <paramref name="node"/>'s input <paramref name="inputIndex"/> (same element count).</summary>
    public void ReplaceFloats(NodeProto node, int inputIndex, float[] values)
    {
        var source = Tensor(node.Input[inputIndex]) ?? throw new InvalidOperationException($"Input {inputIndex} of node '{node.Name}' is not a float initializer.");
        var target = Own(node, inputIndex, source);
        TensorData.WriteFloats(target, values);
        changedInitializers.Add(target.Name);
    }

    /// <summary>Adds a new INT64 initializer and makes it input <paramref name="inputIndex"/> of <paramref name="node"/>.</summary>
    public void SetIntsInput(NodeProto node, int inputIndex, long[] values)
    {
        var tensor = new TensorProto { Name = UniqueName($"{node.Name}_split"), DataType = (int)DataType.Int64, Dims = { values.Length } };
        TensorData.WriteInt64s(tensor, values);
        AddInitializer(tensor);
        while (node.Input.Count <= inputIndex)
        {
            node.Input.Add("");
        }

        node.Input[inputIndex] = tensor.Name;
    }

    /// <summary>Drops initializers and constant nodes nothing reads any more, and refreshes declared shapes of changed initializers.</summary>
    public void Finish()
    {
        var read = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        read.UnionWith(graph.Output.Select(o => o.Name));
        foreach (var name in maybeOrphaned.Where(n => !read.Contains(n)))
        {
            if (initializers.TryGetValue(name, out var tensor))
            {
                graph.Initializer.Remove(tensor);
                RemoveInput(name);
            }
            else if (producers.TryGetValue(name, out var node) && node.Output.All(o => !read.Contains(o)))
            {
                graph.Node.Remove(node);
                if (node.OpType == "ConstantOfShape" && node.Input.Count > 0 && initializers.TryGetValue(node.Input[0], out var shape) &&
                    !graph.Node.Any(n => n.Input.Contains(shape.Name)))
                {
                    graph.Initializer.Remove(shape);
                    RemoveInput(shape.Name);
                }
            }
        }

        foreach (var input in graph.Input.Where(i => changedInitializers.Contains(i.Name)))
        {
            input.Type = ValueType(initializers[input.Name]);
        }
    }

    private static TypeProto ValueType(TensorProto tensor)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in tensor.Dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = shape } };
    }

    /// <summary>An initializer only <paramref name="node"/>'s input <paramref name="inputIndex"/> reads, holding a copy of <paramref name="source"/>.</summary>
    private TensorProto Own(NodeProto node, int inputIndex, TensorProto source)
    {
        var value = node.Input[inputIndex];
        if (owned.Contains((node, inputIndex)) && initializers.TryGetValue(value, out var mine))
        {
            return mine;
        }

        owned.Add((node, inputIndex));
        if (initializers.TryGetValue(value, out var existing) && uses.GetValueOrDefault(value) == 1 && !graph.Input.Any(i => i.Name == value && model.Proto.IrVersion >= 4))
        {
            return existing;
        }

        var copy = source.Clone();
        copy.Name = UniqueName(value);
        if (copy.DataLocation == TensorProto.Types.DataLocation.External)
        {
            TensorData.WriteRawBytes(copy, TensorData.ReadRawBytes(source, model.ExternalDataDirectory));
        }

        AddInitializer(copy);
        Repoint(node, inputIndex, copy.Name);
        return copy;
    }

    private NodeProto OwnConstantOfShape(NodeProto node, int inputIndex)
    {
        var value = node.Input[inputIndex];
        var producer = producers[value];
        if (owned.Contains((node, inputIndex)))
        {
            return producer;
        }

        owned.Add((node, inputIndex));
        var shapeSource = Tensor(producer.Input[0])!;
        var shape = new TensorProto { Name = UniqueName(producer.Input[0]), DataType = (int)DataType.Int64, Dims = { shapeSource.Dims } };
        TensorData.WriteInt64s(shape, ReadInts(producer.Input[0]));
        AddInitializer(shape);
        var copy = producer.Clone();
        copy.Name = UniqueName(producer.Name.Length > 0 ? producer.Name : "ConstantOfShape");
        copy.Input[0] = shape.Name;
        copy.Output[0] = UniqueName(value);
        graph.Node.Insert(0, copy);
        producers[copy.Output[0]] = copy;
        uses[copy.Output[0]] = 0;
        Repoint(node, inputIndex, copy.Output[0]);
        return copy;
    }

    private void Repoint(NodeProto node, int inputIndex, string newValue)
    {
        var old = node.Input[inputIndex];
        node.Input[inputIndex] = newValue;
        uses[old] = uses.GetValueOrDefault(old) - 1;
        uses[newValue] = uses.GetValueOrDefault(newValue) + 1;
        maybeOrphaned.Add(old);
    }

    private void AddInitializer(TensorProto tensor)
    {
        graph.Initializer.Add(tensor);
        initializers[tensor.Name] = tensor;
        changedInitializers.Add(tensor.Name);

        // IR versions before 4 require every initializer to be declared as a graph input too.
        if (model.Proto.IrVersion < 4)
        {
            graph.Input.Add(new ValueInfoProto { Name = tensor.Name, Type = ValueType(tensor) });
        }
    }

    private void RemoveInput(string name)
    {
        var input = graph.Input.FirstOrDefault(i => i.Name == name);
        if (input is not null)
        {
            graph.Input.Remove(input);
        }
    }

    private string UniqueName(string stem)
    {
        var candidate = $"{stem}_pruned";
        for (var i = 2; !names.Add(candidate); i++)
        {
            candidate = $"{stem}_pruned_{i}";
        }

        return candidate;
    }
}
