using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>Decides how one op type is quantized in QDQ form; registered per op type in <see cref="OperatorQuantizerRegistry"/>.</summary>
internal interface IOperatorQuantizer
{
    /// <summary>The plan for <paramref name="node"/>, or null with <paramref name="reason"/> saying why it stays float.</summary>
    NodePlan? Plan(NodeProto node, StaticPlanContext context, out string reason);
}
