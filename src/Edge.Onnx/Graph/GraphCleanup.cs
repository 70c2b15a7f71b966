using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>
/// Removes constants nothing reads any more, typically float weights a pass replaced: initializers and Constant nodes
/// no node reads, in the graph and in every subgraph, looking into subgraphs for outer-scope reads. A graph input that
/// only declared a removed initializer (an IR 3 habit) goes with it.
/// </summary>
public static class GraphCleanup
{
    /// <summary>Removes the unread initializers and Constant nodes of <paramref name="graph"/> and of its subgraphs, in place.</summary>
    /// <param name="graph">The graph to clean; its outputs count as read.</param>
    /// <returns>How many initializers and Constant nodes were removed (graph inputs removed with them are not counted).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
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
