using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>
/// Puts a graph's nodes back in topological order after a pass added nodes out of place. Ready nodes keep their file
/// order, and a subgraph's reads of outer-scope values count as edges (see <see cref="OnnxGraph.TopologicalOrder"/>,
/// which returns the order without changing the graph).
/// </summary>
public static class GraphOrder
{
    /// <summary>Reorders <paramref name="graph"/>'s nodes in place; subgraphs are not reordered.</summary>
    /// <param name="graph">The graph to sort.</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="OnnxModelException">The nodes form a cycle; the message lists the nodes on it, and the graph is left unchanged.</exception>
    public static void Sort(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var nodes = graph.Node.ToList();
        if (!TopologicalSorter.TrySort(nodes, out var order, out var cycle))
        {
            throw new OnnxModelException($"Graph '{graph.Name}' has a cycle after its nodes were rewritten: {TopologicalSorter.DescribeCycle(nodes, cycle)}.");
        }

        graph.Node.Clear();
        graph.Node.AddRange(order.Select(i => nodes[i]));
    }
}
