using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Magnitude;

/// <summary>A Conv, ConvTranspose, Gemm or MatMul with a constant float weight, and the weight's reduction (input) axis.</summary>
/// <param name="Node">The layer.</param>
/// <param name="Name">The layer's name for reports (its op type and position when unnamed).</param>
/// <param name="Weight">The initializer holding its weight.</param>
/// <param name="InputAxis">The weight axis summed over (input channels or features).</param>
internal sealed record WeightLayer(NodeProto Node, string Name, TensorProto Weight, int InputAxis);
