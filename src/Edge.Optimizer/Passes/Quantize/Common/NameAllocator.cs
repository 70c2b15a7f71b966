using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Common;

/// <summary>Hands out value and node names that no graph in the model uses yet.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public NameAllocator(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Collect(model.Graph);
    }

    public string Allocate(string preferred)
    {
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
