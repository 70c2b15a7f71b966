using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>Add and Mul: both operands and the output quantized (QLinearAdd / QLinearMul); a constant operand is quantized like an activation.</summary>
internal sealed class BinaryOperatorQuantizer : IOperatorQuantizer
{
    public NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason)
    {
        reason = "";
        if (node.Input.Count != 2 || !node.Input.All(context.IsFloat) || !context.IsFloat(node.Output[0]))
        {
            reason = "its operands or output are not float32";
            return null;
        }

        if (node.Input.All(i => context.FloatConstant(i) is not null))
        {
            reason = "both operands are constants (constant folding removes it)";
            return null;
        }

        var plan = new NodePlan(node);
        for (var i = 0; i < 2; i++)
        {
            (context.FloatConstant(node.Input[i]) is null ? plan.ActivationInputs : plan.ConstantInputs).Add(i);
        }

        plan.Outputs.Add(0);
        return plan;
    }
}
