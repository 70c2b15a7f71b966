using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// The cheap ops after the last weighted layer that lead only to model outputs (pooling, Softmax, Reshape, box
/// decoding). They stay float: an 8-bit output has 256 levels, which turns close classifier scores into ties and flips
/// top-1, while these ops cost little. Weighted layers are never part of the tail.
/// </summary>
internal static class OutputTail
{
    private static readonly HashSet<string> Weighted = new(StringComparer.Ordinal) { "Conv", "ConvTranspose", "Gemm", "MatMul" };

    public static HashSet<NodeProto> Find(OnnxGraph graph, IReadOnlyList<NodeProto> order)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(order);
        var tail = new HashSet<NodeProto>();
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (Weighted.Contains(node.OpType) || (node.OpType is "Relu" or "Clip" && order.Any(p => Weighted.Contains(p.OpType) && p.Output.Contains(node.Input[0]))))
            {
                // a weighted layer, or the ReLU right after one (it folds into that layer's output range for free)
                continue;
            }

            var leadsOnlyToOutputs = node.Output.Where(o => o.Length > 0).All(o =>
                graph.GetConsumers(o).All(tail.Contains) && (graph.IsGraphOutput(o) || graph.GetConsumers(o).Count > 0));
            if (leadsOnlyToOutputs)
            {
                tail.Add(node);
            }
        }

        return tail;
    }

    /// <summary>Whether the op is a weighted layer (its output may be a model output but it is never in the tail).</summary>
    public static bool IsWeighted(NodeProto node) => Weighted.Contains(node.OpType);
}
