using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>
/// Hands out value and node names that no graph of a model uses yet: every input, output, initializer, value info,
/// node name and node input or output of the main graph and of its subgraphs is taken when the allocator is created,
/// and each name it returns is taken from then on. Names added to the model by other means are not seen, so passes
/// that add nodes should take every new name from one allocator. Not thread-safe.
/// </summary>
public sealed class NameAllocator
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Collects the names <paramref name="model"/> already uses.</summary>
    /// <param name="model">The model whose graphs are read; it is not changed or kept.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> has no graph.</exception>
    public NameAllocator(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null)
        {
            throw new ArgumentException("The model has no graph; expected a ModelProto with its graph set.", nameof(model));
        }

        Collect(model.Graph);
    }

    /// <summary>Returns <paramref name="preferred"/> when it is free, otherwise the first free <c>preferred_1</c>, <c>preferred_2</c>, ...; the name returned is taken.</summary>
    /// <param name="preferred">The name wanted; used as given, with no check for characters ONNX tools may dislike.</param>
    /// <returns>A name no graph of the model uses and that this allocator will not hand out again.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="preferred"/> is null.</exception>
    public string Allocate(string preferred)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        var name = preferred;
        for (var i = 1; !_used.Add(name); i++)
        {
            name = $"{preferred}_{i}";
        }

        return name;
    }

    private void Collect(GraphProto graph)
    {
        _used.UnionWith(graph.Input.Select(i => i.Name));
        _used.UnionWith(graph.Output.Select(o => o.Name));
        _used.UnionWith(graph.Initializer.Select(i => i.Name));
        _used.UnionWith(graph.ValueInfo.Select(v => v.Name));
        foreach (var node in graph.Node)
        {
            _used.UnionWith(node.Input);
            _used.UnionWith(node.Output);
            _used.Add(node.Name);
            foreach (var attribute in node.Attribute)
            {
                foreach (var subgraph in attribute.Graphs.Prepend(attribute.G).OfType<GraphProto>())
                {
                    Collect(subgraph);
                }
            }
        }
    }
}
