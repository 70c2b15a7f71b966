using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Dynamic;

/// <summary>
/// Finds the constant value behind a name as seen from one graph: an initializer or a Constant node of that graph or
/// of an enclosing one (subgraphs read their weights from outer scopes, as Silero's If branches do).
/// </summary>
internal sealed class ConstantResolver
{
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly ConstantResolver? _parent;

    public ConstantResolver(GraphProto graph, ConstantResolver? parent)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _parent = parent;
        var produced = new HashSet<string>(graph.Node.SelectMany(n => n.Output), StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
        }

        foreach (var node in graph.Node.Where(n => n.OpType == "Constant" && n.Domain is "" or "ai.onnx"))
        {
            if (node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value)
            {
                _constants[node.Output[0]] = value;
            }
        }

        // A graph input shadows an outer constant of the same name.
        foreach (var input in graph.Input.Where(i => !_constants.ContainsKey(i.Name)))
        {
            _constants.Remove(input.Name);
            Shadowed.Add(input.Name);
        }

        foreach (var name in produced.Where(p => !_constants.ContainsKey(p)))
        {
            Shadowed.Add(name);
        }
    }

    private HashSet<string> Shadowed { get; } = new(StringComparer.Ordinal);

    /// <summary>The float32 constant named <paramref name="name"/>, or null when it is computed or not float32.</summary>
    public TensorProto? FloatConstant(string name)
    {
        if (_constants.TryGetValue(name, out var tensor))
        {
            return tensor.DataType == (int)TensorProto.Types.DataType.Float ? tensor : null;
        }

        return Shadowed.Contains(name) ? null : _parent?.FloatConstant(name);
    }
}
