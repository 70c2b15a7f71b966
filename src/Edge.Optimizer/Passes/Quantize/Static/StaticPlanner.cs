using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Walks the main graph in topological order and asks each node's <see cref="IOperatorQuantizer"/> for a plan,
/// honouring the include/exclude options. A ReLU (or Clip at 0) right after a quantized output is folded: the
/// asymmetric range of that output starts at 0, so QuantizeLinear already clips. Subgraphs (If/Loop/Scan) stay float.
/// </summary>
internal static class StaticPlanner
{
    public static StaticPlan Plan(OnnxGraph graph, StaticPlanContext context, IReadOnlyDictionary<string, TensorRange> ranges, IReadOnlyDictionary<string, string>? guarded = null)
    {
        guarded ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var plan = new StaticPlan();
        var options = context.Options;
        var producers = new Dictionary<string, (NodePlan Plan, int Output)>(StringComparer.Ordinal);
        var order = graph.TopologicalOrder();
        var tail = OutputTail.Find(graph, order);
        for (var index = 0; index < order.Count; index++)
        {
            var node = order[index];
            var name = node.Name.Length > 0 ? node.Name : $"{node.OpType}#{index}";
            var reason = tail.Contains(node) ? "it only leads to model outputs, which keep float precision" : Excluded(node, options) ?? guarded.GetValueOrDefault(node.Name);
            if (reason is null && IsFoldable(node, graph))
            {
                if (TryFold(node, graph, context, ranges, producers, out reason) is { } fold)
                {
                    plan.Folds.Add(fold);
                    producers[node.Output[0]] = producers[node.Input[0]];
                    context.MarkQuantized(node.Output[0]);
                    continue;
                }
            }

            NodePlan? nodePlan = null;
            if (reason is null)
            {
                var quantizer = OperatorQuantizerRegistry.Find(node.Domain, node.OpType);
                if (quantizer is null)
                {
                    reason = node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)
                        ? "holds subgraphs, which stay float"
                        : $"no int8 quantizer for {node.OpType}";
                }
                else
                {
                    nodePlan = quantizer.Plan(node, context, out var why);
                    reason = why;
                }
            }

            if (nodePlan is null)
            {
                if (node.Input.Concat(node.Output).Any(context.IsFloat))
                {
                    plan.FloatNodes.Add(new FloatNode(name, node.OpType, reason ?? "not quantized"));
                }

                continue;
            }

            // A weighted layer that writes a model output keeps a float output (QGemm/MatMulIntegerToFloat produce one).
            nodePlan.Outputs.RemoveAll(o => graph.IsGraphOutput(node.Output[o]));
            plan.Nodes.Add(nodePlan);
            foreach (var output in nodePlan.Outputs)
            {
                context.MarkQuantized(node.Output[output]);
                producers[node.Output[output]] = (nodePlan, output);
            }
        }

        return plan;
    }

    private static string? Excluded(NodeProto node, QuantizeOptions options)
    {
        if (options.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal))
        {
            return "excluded by --exclude-nodes";
        }

        if (options.ExcludeOpTypes.Contains(node.OpType, StringComparer.Ordinal))
        {
            return "excluded by --exclude-op-types";
        }

        return options.OpTypes.Count > 0 && !options.OpTypes.Contains(node.OpType, StringComparer.Ordinal) && !IsFoldableType(node)
            ? "not in --op-types"
            : null;
    }

    private static ActivationFold? TryFold(
        NodeProto activation,
        OnnxGraph graph,
        StaticPlanContext context,
        IReadOnlyDictionary<string, TensorRange> ranges,
        Dictionary<string, (NodePlan Plan, int Output)> producers,
        out string? reason)
    {
        reason = null;
        var input = activation.Input[0];
        if (context.Options.ActivationSymmetric)
        {
            reason = "symmetric activations keep negative values, so the range cannot clip like ReLU";
        }
        else if (!producers.TryGetValue(input, out var producer) || producer.Plan.SharesParameters || !ReferenceEquals(producer.Plan.Node, graph.GetProducer(input)))
        {
            reason = "its input is not the output of a quantized node with its own range";
        }
        else if (graph.GetConsumers(input).Count != 1 || graph.IsGraphOutput(input))
        {
            reason = "its input is also used elsewhere";
        }
        else if (!ranges.TryGetValue(activation.Output[0], out var range) || range.Min < 0)
        {
            reason = "its output was not calibrated";
        }
        else
        {
            return new ActivationFold(producer.Plan.Node, producer.Output, activation);
        }

        return null;
    }

    private static bool IsFoldableType(NodeProto node) => node.OpType is "Relu" or "Clip" && node.Domain is "" or "ai.onnx";

    /// <summary>Relu, or Clip whose lower bound is a constant 0 (its upper bound then only narrows the calibrated range).</summary>
    private static bool IsFoldable(NodeProto node, OnnxGraph graph)
    {
        if (!IsFoldableType(node))
        {
            return false;
        }

        if (node.OpType == "Relu")
        {
            return true;
        }

        if (node.Input.Count < 2 || node.Input[1].Length == 0 || graph.GetInitializer(node.Input[1]) is not { } min)
        {
            return false;
        }

        var values = TensorData.ReadFloats(min);
        return values.Length == 1 && values[0] == 0;
    }
}
