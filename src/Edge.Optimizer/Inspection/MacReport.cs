namespace Edge.Optimizer.Inspection;

/// <summary>Estimated multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul nodes of the main graph for one inference.</summary>
/// <param name="ByOpType">Total MACs per op type, for the op types with at least one node.</param>
/// <param name="Unknown">Nodes whose MACs are unknown, each with the reason.</param>
/// <param name="ShapeSource">Where intermediate shapes came from: <c>onnxruntime</c>, or <c>unavailable</c>.</param>
/// <param name="ShapeFailure">Why ONNX Runtime could not give shapes, or <see langword="null"/>.</param>
/// <param name="SubstitutedDims">Symbolic or unknown input dims that were set to 1 to run the model, as "input[axis]=name".</param>
internal sealed record MacReport(
    IReadOnlyDictionary<string, long> ByOpType,
    IReadOnlyList<UnknownMacs> Unknown,
    string ShapeSource,
    string? ShapeFailure,
    IReadOnlyList<string> SubstitutedDims)
{
    public long Total => ByOpType.Values.Sum();
}
