using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>Which names a graph defines itself, and which it takes from enclosing graphs.</summary>
public static class Scope
{
    /// <summary>Names defined inside <paramref name="graph"/>: inputs, initializers, sparse initializers and node outputs.</summary>
    public static HashSet<string> LocalDefinitions(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        names.UnionWith(graph.Input.Select(i => i.Name));
        names.UnionWith(graph.Initializer.Select(i => i.Name));
        names.UnionWith(graph.SparseInitializer.Where(s => s.Values is not null).Select(s => s.Values.Name));
        names.UnionWith(graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0));
        names.Remove(string.Empty);
        return names;
    }

    /// <summary>
    /// Names a graph (with its nested subgraphs) reads but does not define: its outer-scope references. A node whose
    /// attribute holds such a graph implicitly consumes these values.
    /// </summary>
    public static HashSet<string> OuterReferences(GraphProto graph)
    {
        var local = LocalDefinitions(graph);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                if (input.Length > 0 && !local.Contains(input))
                {
                    result.Add(input);
                }
            }

            foreach (var name in ImplicitInputs(node))
            {
                if (!local.Contains(name))
                {
                    result.Add(name);
                }
            }
        }

        foreach (var output in graph.Output)
        {
            if (output.Name.Length > 0 && !local.Contains(output.Name))
            {
                result.Add(output.Name);
            }
        }

        return result;
    }

    /// <summary>The outer-scope values a node's subgraphs read (its implicit inputs).</summary>
    public static HashSet<string> ImplicitInputs(NodeProto node)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subgraph in ModelTensors.NodeSubgraphs(node))
        {
            result.UnionWith(OuterReferences(subgraph));
        }

        return result;
    }

    /// <summary>A name for messages: the node's name, or its op type and position when it has none.</summary>
    public static string Describe(NodeProto node, int index) =>
        node.Name.Length > 0 ? $"'{node.Name}' ({node.OpType})" : $"#{index} ({node.OpType})";
}
