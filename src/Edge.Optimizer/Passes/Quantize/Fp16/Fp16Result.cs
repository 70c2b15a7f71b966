using Edge.Onnx;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Passes.Quantize.Fp16;

/// <summary>An fp16 model, the nodes kept in float32 with the reason, the Casts added, and the initializers whose values were clamped to the fp16 range.</summary>
internal sealed record Fp16Result(OnnxModel Model, int ConvertedNodes, IReadOnlyList<FloatNode> Float32Nodes, int CastsAdded, IReadOnlyList<ClampedInitializer> Clamped);

/// <summary>An initializer with values beyond ±65504 (the largest fp16 value), clamped, and how many.</summary>
internal sealed record ClampedInitializer(string Name, int Count, float LargestMagnitude);
