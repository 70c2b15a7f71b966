using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Common;

/// <summary>Puts a graph's nodes back in topological order after nodes were added out of place.</summary>
internal static class GraphOrder
{
    public static void Sort(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var nodes = graph.Node.ToList();
        if (!TopologicalSorter.TrySort(nodes, out var order, out var cycle))
        {
            throw new OnnxModelException($"Graph '{graph.Name}' has a cycle after quantization: {TopologicalSorter.DescribeCycle(nodes, cycle)}.");
        }

        graph.Node.Clear();
        graph.Node.AddRange(order.Select(i => nodes[i]));
    }
}
