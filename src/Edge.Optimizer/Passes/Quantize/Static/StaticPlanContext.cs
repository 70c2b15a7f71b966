using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>What an <see cref="IOperatorQuantizer"/> may ask while planning: tensor types, constants, options, and which tensors upstream nodes already quantize.</summary>
internal sealed class StaticPlanContext
{
    private readonly IReadOnlyDictionary<string, TensorElementType> _types;
    private readonly HashSet<string> _quantized = new(StringComparer.Ordinal);

    public StaticPlanContext(OnnxGraph graph, IReadOnlyDictionary<string, TensorElementType> types, QuantizeOptions options)
    {
        Graph = graph;
        _types = types;
        Options = options;
    }

    public OnnxGraph Graph { get; }

    public QuantizeOptions Options { get; }

    /// <summary>Whether <paramref name="name"/> is a float32 activation or float32 constant.</summary>
    public bool IsFloat(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        if (Graph.GetInitializer(name) is { } initializer)
        {
            return initializer.DataType == (int)TensorProto.Types.DataType.Float;
        }

        return _types.TryGetValue(name, out var type) && type == TensorElementType.Float;
    }

    /// <summary>The float32 initializer named <paramref name="name"/>, or null when the input is computed.</summary>
    public TensorProto? FloatConstant(string name) =>
        Graph.GetInitializer(name) is { DataType: (int)TensorProto.Types.DataType.Float } initializer ? initializer : null;

    /// <summary>Whether an already planned node quantizes <paramref name="name"/> (it reaches its consumers as DequantizeLinear output).</summary>
    public bool IsQuantized(string name) => _quantized.Contains(name);

    public void MarkQuantized(string name) => _quantized.Add(name);
}
