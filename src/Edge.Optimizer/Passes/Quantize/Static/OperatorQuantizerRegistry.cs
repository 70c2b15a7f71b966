namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>Maps op types to their static quantizer; any other op stays float and is listed in the report.</summary>
internal static class OperatorQuantizerRegistry
{
    private static readonly Dictionary<string, IOperatorQuantizer> Quantizers = Build();

    /// <summary>Every op type the static quantizer covers.</summary>
    public static IReadOnlyCollection<string> OpTypes => Quantizers.Keys;

    /// <summary>The quantizer for <paramref name="opType"/> in the default domain, or null (the node stays float).</summary>
    public static IOperatorQuantizer? Find(string domain, string opType) =>
        domain is "" or "ai.onnx" && Quantizers.TryGetValue(opType, out var quantizer) ? quantizer : null;

    private static Dictionary<string, IOperatorQuantizer> Build()
    {
        var weighted = new WeightedOperatorQuantizer();
        var binary = new BinaryOperatorQuantizer();
        var passThrough = new PassThroughQuantizer();
        var unary = new UnaryOperatorQuantizer();
        var map = new Dictionary<string, IOperatorQuantizer>(StringComparer.Ordinal) { ["Concat"] = new ConcatQuantizer() };
        foreach (var op in new[] { "Conv", "ConvTranspose", "Gemm", "MatMul" })
        {
            map[op] = weighted;
        }

        foreach (var op in new[] { "Add", "Mul" })
        {
            map[op] = binary;
        }

        foreach (var op in new[] { "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Split", "Pad", "Slice", "MaxPool", "Resize" })
        {
            map[op] = passThrough;
        }

        foreach (var op in new[] { "AveragePool", "GlobalAveragePool", "Sigmoid", "Softmax", "LeakyRelu" })
        {
            map[op] = unary;
        }

        return map;
    }
}
