using Edge.Onnx;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>A statically quantized model, the plan it was written from, its quantized activations (named as in both the float and the quantized model, with their producers) and warnings (saturated biases).</summary>
internal sealed record StaticQuantizationResult(OnnxModel Model, StaticPlan Plan, IReadOnlyList<QuantizedTensorInfo> QuantizedTensors, IReadOnlyList<string> Warnings);

/// <summary>A quantized activation: its name (the same in the float and quantized models), its producer, and the producer's activation inputs.</summary>
internal sealed record QuantizedTensorInfo(string Tensor, string Node, string OpType, IReadOnlyList<string> Inputs);
