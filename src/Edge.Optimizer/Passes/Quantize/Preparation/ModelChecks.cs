using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Preparation;

/// <summary>Refuses models that cannot be quantized meaningfully, with the reason.</summary>
internal static class ModelChecks
{
    private static readonly HashSet<string> QuantizedOps = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "MatMulInteger",
        "ConvInteger", "QLinearAdd", "QLinearMul", "QLinearConcat", "QLinearGlobalAveragePool", "QLinearAveragePool",
        "QLinearSigmoid", "QLinearLeakyRelu", "QLinearSoftmax", "QGemm", "DynamicQuantizeMatMul", "DynamicQuantizeLSTM",
        "MatMulIntegerToFloat", "MatMulNBits", "QAttention", "QOrderedMatMul",
    };

    /// <summary>Throws when the model already holds quantization ops: quantizing twice compounds rounding and the result cannot be fused.</summary>
    public static void EnsureNotQuantized(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = ModelTensors.Graphs(model)
            .SelectMany(g => g.Node)
            .Where(n => QuantizedOps.Contains(n.OpType))
            .GroupBy(n => n.OpType)
            .Select(g => $"{g.Count()} {g.Key}")
            .ToList();
        if (found.Count > 0)
        {
            throw new QuantizationException(
                $"The model is already quantized ({string.Join(", ", found)}). Quantizing it again would add a second rounding on top of the first and ONNX Runtime could not fuse the result; quantize the original float32 model instead.");
        }
    }

    /// <summary>Throws when the model computes in float16: int8 calibration and fp16 conversion both start from float32.</summary>
    public static void EnsureFloat32(ModelProto model, QuantizeMode mode)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var half = graph.Initializer.Count(i => i.DataType == (int)TensorProto.Types.DataType.Float16);
        var single = graph.Initializer.Count(i => i.DataType == (int)TensorProto.Types.DataType.Float);
        var halfInputs = graph.Input.Count(i => i.Type?.TensorType?.ElemType == (int)TensorProto.Types.DataType.Float16);
        if ((half > 0 && single == 0) || halfInputs > 0)
        {
            var what = mode == QuantizeMode.Fp16 ? "already float16, so there is nothing to convert" : "float16; int8 quantization here starts from float32 weights and activations";
            throw new QuantizationException(
                $"The model computes in {what} ({half} float16 initializer(s), {halfInputs} float16 input(s)). Use the float32 model.");
        }
    }

    /// <summary>Op types that hold subgraphs.</summary>
    public static bool HoldsSubgraph(NodeProto node) => node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0);
}
