using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Ops with one data input whose output gets its own scale: AveragePool, GlobalAveragePool, Sigmoid, Softmax,
/// LeakyRelu (QLinear kernels in ONNX Runtime). Softmax's output range is [0, 1] by definition, not calibrated.
/// </summary>
internal sealed class UnaryOperatorQuantizer : IOperatorQuantizer
{
    public NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason)
    {
        reason = "";
        if (!context.IsFloat(node.Input[0]) || !context.IsFloat(node.Output[0]))
        {
            reason = "its input or output is not float32";
            return null;
        }

        var plan = new NodePlan(node) { OutputRange = node.OpType == "Softmax" ? new TensorRange(0, 1) : null };
        plan.ActivationInputs.Add(0);
        plan.Outputs.Add(0);
        return plan;
    }
}
