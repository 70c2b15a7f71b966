using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Common;

/// <summary>
/// Removes float weights that quantization replaced: initializers and Constant nodes no node reads any more, in every
/// graph, looking into subgraphs for outer-scope reads. Graph inputs that only declared a removed initializer go too.
/// </summary>
internal static class GraphCleanup
{
    public static int RemoveUnusedConstants(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var removed = 0;
        foreach (var subgraph in graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.Graphs.Prepend(a.G).OfType<GraphProto>()))
        {
            removed += RemoveUnusedConstants(subgraph);
        }

        var used = Reads(graph);
        foreach (var initializer in graph.Initializer.Where(i => !used.Contains(i.Name)).ToList())
        {
            graph.Initializer.Remove(initializer);
            var input = graph.Input.FirstOrDefault(i => i.Name == initializer.Name);
            if (input is not null)
            {
                graph.Input.Remove(input);
            }

            removed++;
        }

        foreach (var constant in graph.Node.Where(n => n.OpType == "Constant" && n.Output.All(o => !used.Contains(o))).ToList())
        {
            graph.Node.Remove(constant);
            removed++;
        }

        return removed;
    }

    /// <summary>Every name read by a node of the graph or of its subgraphs, and the graph's outputs.</summary>
    private static HashSet<string> Reads(GraphProto graph)
    {
        var used = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            used.UnionWith(node.Input);
            foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Prepend(a.G).OfType<GraphProto>()))
            {
                used.UnionWith(Reads(subgraph));
            }
        }

        return used;
    }
}
