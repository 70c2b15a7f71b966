using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Prune.Surgery;

/// <summary>
/// Reads and rewrites the constant inputs of nodes in a model's main graph: initializers, <c>Constant</c> nodes and
/// <c>ConstantOfShape</c> nodes with a constant shape (the form zoo "light" models store weights in). Every rewrite
/// goes to a private copy owned by one node input, so a weight shared with another node is never changed under it.
/// Call <see cref="Finish"/> after the last rewrite to drop what became unused and refresh declared shapes.
/// </summary>
internal sealed class ConstantStore
{
    private readonly OnnxModel model;
    private readonly GraphProto graph;
    private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> uses = new(StringComparer.Ordinal);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly HashSet<(NodeProto Node, int Input)> owned = [];
    private readonly HashSet<string> maybeOrphaned = new(StringComparer.Ordinal);
    private readonly HashSet<string> changedInitializers = new(StringComparer.Ordinal);

    public ConstantStore(OnnxModel model)
    {
        this.model = model;
        graph = model.Proto.Graph;
        var index = model.GetGraph();
        foreach (var tensor in graph.Initializer)
        {
            initializers.TryAdd(tensor.Name, tensor);
            names.Add(tensor.Name);
        }

        foreach (var node in graph.Node)
        {
            names.Add(node.Name);
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                producers.TryAdd(output, node);
                names.Add(output);
            }

            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                uses[input] = uses.GetValueOrDefault(input) + 1;
                names.Add(input);
            }
        }

        foreach (var value in graph.Input.Select(i => i.Name).Concat(graph.Output.Select(o => o.Name)))
        {
            names.Add(value);
        }

        foreach (var output in graph.Output)
        {
            uses[output.Name] = uses.GetValueOrDefault(output.Name) + 1;
        }

        // A value a subgraph reads from this scope can never be made private: count it as one more use.
        foreach (var value in uses.Keys.ToList())
        {
            if (index.GetConsumers(value).Any(n => !n.Input.Contains(value)))
            {
                uses[value]++;
            }
        }
    }

    /// <summary>The dims of a float constant that can be sliced, or <see langword="null"/> when the value is not one.</summary>
    public long[]? FloatDims(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (Tensor(value) is { } tensor)
        {
            return IsFloat(tensor.DataType) ? [.. tensor.Dims] : null;
        }

        return producers.TryGetValue(value, out var node) && node.OpType == "ConstantOfShape" && node.Domain is "" or "ai.onnx" &&
               node.Input.Count > 0 && ReadInts(node.Input[0]) is { } shape && IsFloat(FillTensor(node).DataType)
            ? shape
            : null;
    }

    /// <summary>Whether <paramref name="value"/> is a constant (initializer, Constant or ConstantOfShape with a constant shape).</summary>
    public bool IsConstant(string value) =>
        value.Length > 0 && (Tensor(value) is not null ||
                             (producers.TryGetValue(value, out var node) && node.OpType == "ConstantOfShape" && node.Input.Count > 0 && ReadInts(node.Input[0]) is not null));

    /// <summary>The single value every element of a ConstantOfShape output holds, or <see langword="null"/> for other constants.</summary>
    public float? UniformValue(string value) =>
        Tensor(value) is null && producers.TryGetValue(value, out var node) && node.OpType == "ConstantOfShape"
            ? TensorData.ReadFloats(FillTensor(node), model.ExternalDataDirectory)[0]
            : null;

    /// <summary>A float constant's values (ConstantOfShape outputs are expanded).</summary>
    public float[] ReadFloats(string value)
    {
        if (Tensor(value) is { } tensor)
        {
            return TensorData.ReadFloats(tensor, model.ExternalDataDirectory);
        }

        var dims = FloatDims(value) ?? throw new InvalidOperationException($"'{value}' is not a float constant.");
        var count = checked((int)dims.Aggregate(1L, (a, b) => a * b));
        return Enumerable.Repeat(UniformValue(value)!.Value, count).ToArray();
    }

    /// <summary>An integer constant's values, or <see langword="null"/> when the value is not an integer constant.</summary>
    public long[]? ReadInts(string value)
    {
        if (Tensor(value) is not { } tensor || IsFloat(tensor.DataType) || tensor.DataType == (int)DataType.String)
        {
            return null;
        }

        return TensorData.ReadInt64s(tensor, model.ExternalDataDirectory);
    }

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

    private static bool IsFloat(int dataType) =>
        dataType is (int)DataType.Float or (int)DataType.Float16 or (int)DataType.Double or (int)DataType.Bfloat16;

    private static TypeProto ValueType(TensorProto tensor)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in tensor.Dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = shape } };
    }

    private static TensorProto FillTensor(NodeProto node) =>
        node.Attribute.FirstOrDefault(a => a.Name == "value")?.T ?? new TensorProto { DataType = (int)DataType.Float, Dims = { 1 }, FloatData = { 0f } };

    /// <summary>The tensor behind an initializer or a Constant node's <c>value</c>.</summary>
    private TensorProto? Tensor(string value)
    {
        if (initializers.TryGetValue(value, out var tensor))
        {
            return tensor;
        }

        return producers.TryGetValue(value, out var node) && node.OpType == "Constant" && node.Domain is "" or "ai.onnx"
            ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
            : null;
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
