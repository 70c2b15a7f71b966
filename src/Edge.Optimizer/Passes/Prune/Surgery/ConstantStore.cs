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
internal sealed partial class ConstantStore
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

    private static bool IsFloat(int dataType) =>
        dataType is (int)DataType.Float or (int)DataType.Float16 or (int)DataType.Double or (int)DataType.Bfloat16;

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
}
