using Edge.Onnx;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>A statically quantized model, the plan it was written from, its quantized activations (named as in both the float and the quantized model, with their producers) and warnings (saturated biases).</summary>
internal sealed record StaticQuantizationResult(OnnxModel Model, StaticPlan Plan, IReadOnlyList<QuantizedTensorInfo> QuantizedTensors, IReadOnlyList<string> Warnings);

/// <summary>
/// A quantized activation: its name (the same in the float and quantized models), its producer, the producer's
/// activation inputs, and, when its range was narrowed where every consumer saturates, that range: float values
/// beyond it are compared clipped, because the consumers cannot tell them apart.
/// </summary>
internal sealed record QuantizedTensorInfo(string Tensor, string Node, string OpType, IReadOnlyList<string> Inputs, TensorRange? Saturation = null);
