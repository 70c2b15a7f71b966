using Edge.Onnx;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>A statically quantized model, the plan it was written from, its quantized activations (named as in both the float and the quantized model, with their producers) and warnings (saturated biases).</summary>
internal sealed record StaticQuantizationResult(OnnxModel Model, StaticPlan Plan, IReadOnlyList<(string Tensor, NodeProto Node)> QuantizedTensors, IReadOnlyList<string> Warnings);
