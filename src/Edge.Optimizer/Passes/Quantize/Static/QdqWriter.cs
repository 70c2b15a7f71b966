using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Quantize.Weights;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Rewrites the main graph in QDQ form from a <see cref="StaticPlan"/>. A quantized node output keeps its name as the
/// DequantizeLinear output (its producer writes a renamed float value that only QuantizeLinear reads), so every
/// consumer, subgraph and graph output sees the same name; other activations get one Q/DQ pair that only quantized
/// consumers read. Weights become int8/uint8 initializers, biases int32, each behind a DequantizeLinear.
/// </summary>
internal sealed class QdqWriter
{
    private readonly GraphProto _graph;
    private readonly NameAllocator _names;
    private readonly QuantizeOptions _options;
    private readonly IReadOnlyDictionary<string, QuantParameters> _parameters;
    private readonly Dictionary<string, string> _dequantized = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int?), (string Output, QuantizedTensor Tensor)> _weights = [];
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly List<string> _warnings = [];

    public QdqWriter(GraphProto graph, NameAllocator names, QuantizeOptions options, IReadOnlyDictionary<string, QuantParameters> parameters)
    {
        _graph = graph;
        _names = names;
        _options = options;
        _parameters = parameters;
        _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Warnings => _warnings;

    public void Write(StaticPlan plan)
    {
        foreach (var fold in plan.Folds)
        {
            fold.Producer.Output[fold.OutputIndex] = fold.Activation.Output[0];
            _graph.Node.Remove(fold.Activation);
        }

        var quantizedOutputs = new HashSet<string>(plan.Nodes.SelectMany(p => p.Outputs.Select(o => p.Node.Output[o])), StringComparer.Ordinal);
        foreach (var nodePlan in plan.Nodes)
        {
            foreach (var output in nodePlan.Outputs)
            {
                QuantizeOutput(nodePlan.Node, output);
            }
        }

        foreach (var nodePlan in plan.Nodes)
        {
            var node = nodePlan.Node;
            var original = node.Input.ToArray();
            foreach (var weight in nodePlan.Weights)
            {
                node.Input[weight.Index] = QuantizeWeight(original[weight.Index], weight.Axis);
            }

            if (nodePlan.Bias is { } bias)
            {
                var inputScale = _parameters[original[bias.ActivationIndex]].Scale;
                var weight = nodePlan.Weights.Single(w => w.Index == bias.WeightIndex);
                node.Input[bias.Index] = QuantizeBias(original[bias.Index], inputScale, _weights[(original[weight.Index], weight.Axis)].Tensor);
            }

            foreach (var input in nodePlan.ActivationInputs.Where(i => !quantizedOutputs.Contains(original[i])))
            {
                node.Input[input] = Dequantized(original[input]);
            }

            foreach (var input in nodePlan.ConstantInputs)
            {
                node.Input[input] = QuantizeConstant(original[input]);
            }
        }

        GraphCleanup.RemoveUnusedConstants(_graph);
        GraphOrder.Sort(_graph);
    }

    private void QuantizeOutput(NodeProto node, int output)
    {
        var name = node.Output[output];
        var floatValue = _names.Allocate(name + "_prequantize");
        node.Output[output] = floatValue;
        var quantized = AddQuantize(floatValue, name, _parameters[name]);
        AddDequantize(quantized, name, name, _parameters[name], _options.ActivationType, null);
    }

    private string Dequantized(string name)
    {
        if (!_dequantized.TryGetValue(name, out var output))
        {
            var quantized = AddQuantize(name, name, _parameters[name]);
            output = _names.Allocate(name + "_dequantized");
            AddDequantize(quantized, name, output, _parameters[name], _options.ActivationType, null);
            _dequantized[name] = output;
        }

        return output;
    }

    private string AddQuantize(string input, string baseName, QuantParameters parameters)
    {
        var (scale, zeroPoint) = AddParameters(baseName, [parameters], QuantParameters.ElementType(_options.ActivationType));
        var output = _names.Allocate(baseName + "_quantized");
        _graph.Node.Add(new NodeProto { OpType = "QuantizeLinear", Name = _names.Allocate(baseName + "_QuantizeLinear"), Input = { input, scale, zeroPoint }, Output = { output } });
        return output;
    }

    private void AddDequantize(string input, string baseName, string output, QuantParameters parameters, QuantizedType type, int? axis) =>
        AddDequantize(input, baseName, output, [parameters], QuantParameters.ElementType(type), axis);

    private void AddDequantize(string input, string baseName, string output, IReadOnlyList<QuantParameters> parameters, DataType type, int? axis)
    {
        var (scale, zeroPoint) = AddParameters(baseName, parameters, type);
        var node = new NodeProto { OpType = "DequantizeLinear", Name = _names.Allocate(baseName + "_DequantizeLinear"), Input = { input, scale, zeroPoint }, Output = { output } };
        if (axis is not null && parameters.Count > 1)
        {
            node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis.Value });
        }

        _graph.Node.Add(node);
    }

    private (string Scale, string ZeroPoint) AddParameters(string baseName, IReadOnlyList<QuantParameters> parameters, DataType type)
    {
        var scale = _names.Allocate(baseName + "_scale");
        var zeroPoint = _names.Allocate(baseName + "_zero_point");
        _graph.Initializer.Add(TensorFactory.Scales(scale, [.. parameters.Select(p => p.Scale)]));
        _graph.Initializer.Add(TensorFactory.ZeroPoints(zeroPoint, type, [.. parameters.Select(p => p.ZeroPoint)]));
        return (scale, zeroPoint);
    }

    private string QuantizeWeight(string name, int? axis)
    {
        if (_weights.TryGetValue((name, axis), out var existing))
        {
            return existing.Output;
        }

        var source = _initializers[name];
        var tensor = WeightQuantizer.Quantize(TensorData.ReadFloats(source), source.Dims, axis, _options.WeightType, _options.WeightSymmetric);
        var output = AddConstant(name, source, tensor, QuantParameters.ElementType(_options.WeightType));
        _weights[(name, axis)] = (output, tensor);
        return output;
    }

    private string QuantizeConstant(string name)
    {
        var source = _initializers[name];
        var tensor = WeightQuantizer.QuantizeWith(TensorData.ReadFloats(source), _parameters[name], _options.ActivationType, _options.ActivationSymmetric);
        return AddConstant(name, source, tensor, QuantParameters.ElementType(_options.ActivationType));
    }

    private string AddConstant(string name, TensorProto source, QuantizedTensor tensor, DataType type)
    {
        var quantized = _names.Allocate(name + "_quantized");
        _graph.Initializer.Add(TensorFactory.Raw(quantized, type, source.Dims, tensor.Data));
        var output = _names.Allocate(name + "_dequantized");
        AddDequantize(quantized, name, output, tensor.Parameters, type, tensor.Axis);
        return output;
    }

    private string QuantizeBias(string name, float inputScale, QuantizedTensor weight)
    {
        var source = _initializers[name];
        var (values, scales, saturated) = WeightQuantizer.QuantizeBias(TensorData.ReadFloats(source), inputScale, weight.Parameters);
        if (saturated > 0)
        {
            _warnings.Add($"bias '{name}': {saturated} value(s) exceeded the int32 range at scale input x weight and were saturated.");
        }

        var quantized = _names.Allocate(name + "_quantized");
        _graph.Initializer.Add(TensorFactory.Int32s(quantized, source.Dims, values));
        var output = _names.Allocate(name + "_dequantized");
        AddDequantize(quantized, name, output, [.. scales.Select(s => new QuantParameters(s, 0))], DataType.Int32, 0);
        return output;
    }
}
