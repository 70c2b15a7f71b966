using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>Concat: every input and the output share one scale, so the integer concatenation is a plain copy with no requantization.</summary>
internal sealed class ConcatQuantizer : IOperatorQuantizer
{
    public NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason)
    {
        reason = "";
        if (!node.Input.All(context.IsFloat) || !context.IsFloat(node.Output[0]))
        {
            reason = "its inputs or output are not float32";
            return null;
        }

        var plan = new NodePlan(node) { SharesParameters = true };
        for (var i = 0; i < node.Input.Count; i++)
        {
            (context.FloatConstant(node.Input[i]) is null ? plan.ActivationInputs : plan.ConstantInputs).Add(i);
        }

        plan.Outputs.Add(0);
        return plan;
    }
}
