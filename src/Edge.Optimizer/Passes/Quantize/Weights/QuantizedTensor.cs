namespace Edge.Optimizer.Passes.Quantize.Weights;

/// <summary>Quantized values (one byte each, int8 stored as its two's-complement byte) with their parameters.</summary>
/// <param name="Data">The quantized values in the source tensor's order.</param>
/// <param name="Parameters">One entry per tensor, or one per channel along <paramref name="Axis"/>.</param>
/// <param name="Axis">The channel axis, or null for per-tensor parameters.</param>
internal sealed record QuantizedTensor(byte[] Data, IReadOnlyList<QuantParameters> Parameters, int? Axis);
