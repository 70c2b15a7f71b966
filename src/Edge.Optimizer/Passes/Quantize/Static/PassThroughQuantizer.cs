using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Ops that only move or select values (Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Split, Pad, Slice, MaxPool,
/// Resize): the output keeps the input's scale, so ONNX Runtime runs them on int8 data. Quantized only when the input
/// already arrives quantized; otherwise they would add a Q/DQ pair for nothing.
/// </summary>
internal sealed class PassThroughQuantizer : IOperatorQuantizer
{
    public NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason)
    {
        reason = "";
        if (!context.IsFloat(node.Input[0]))
        {
            reason = "its data input is not float32";
            return null;
        }

        if (!context.IsQuantized(node.Input[0]))
        {
            reason = "its input is not quantized upstream, so int8 would only add conversions";
            return null;
        }

        var outputs = node.OpType == "Split" ? node.Output.Count : 1;
        if (node.OpType == "MaxPool" && node.Output.Count > 1 && node.Output[1].Length > 0)
        {
            reason = "its indices output is used";
            return null;
        }

        var plan = new NodePlan(node) { SharesParameters = true };
        plan.ActivationInputs.Add(0);
        for (var i = 0; i < outputs; i++)
        {
            if (node.Output[i].Length > 0)
            {
                plan.Outputs.Add(i);
            }
        }

        return plan;
    }
}
