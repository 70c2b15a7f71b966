using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Conv, ConvTranspose, Gemm and MatMul: the data input as an activation, a constant weight as int8 (per channel
/// along the output-channel axis with <c>--per-channel</c>), a constant bias as int32, and the output quantized, which
/// is the pattern ONNX Runtime fuses into QLinearConv, QGemm and QLinearMatMul. A computed second operand
/// (attention's Q x K) is quantized as an activation instead.
/// </summary>
internal sealed class WeightedOperatorQuantizer : IOperatorQuantizer
{
    public NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason)
    {
        reason = "";
        if (node.Input.Count < 2 || !context.IsFloat(node.Input[0]) || !context.IsFloat(node.Input[1]) || !context.IsFloat(node.Output[0]))
        {
            reason = "its inputs or output are not float32";
            return null;
        }

        var plan = new NodePlan(node);
        plan.ActivationInputs.Add(0);
        plan.Outputs.Add(0);
        var weight = context.FloatConstant(node.Input[1]);
        if (weight is null)
        {
            if (node.OpType is "Conv" or "ConvTranspose")
            {
                reason = "its weight is computed, not a constant";
                return null;
            }

            plan.ActivationInputs.Add(1);
        }
        else
        {
            plan.Weights.Add(new WeightInput(1, context.Options.PerChannel ? ChannelAxis(node, weight, context) : null));
        }

        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            var bias = context.FloatConstant(node.Input[2]);
            var biasFits = bias is not null && weight is not null && bias.Dims.Count == 1
                && (node.OpType != "Gemm" || NodeAttributes.Float(node, "beta", 1f) == 1f);
            if (biasFits)
            {
                plan.Bias = new BiasInput(2, 0, 1);
            }
            else if (node.OpType is "Conv" or "ConvTranspose")
            {
                reason = "its bias is not a 1-D constant";
                return null;
            }
        }

        return plan;
    }

    /// <summary>The output-channel axis of the weight, or null when per-channel scales do not apply.</summary>
    private static int? ChannelAxis(NodeProto node, TensorProto weight, StaticPlanContext context) => node.OpType switch
    {
        "Conv" => 0,
        "ConvTranspose" => NodeAttributes.Int(node, "group", 1) == 1 ? 1 : null,
        "Gemm" => NodeAttributes.Int(node, "transB", 0) == 1 ? 0 : 1,
        "MatMul" => weight.Dims.Count == 2 ? 1 : null,
        _ => null,
    };
}
