using System.Runtime.InteropServices;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Quantize.Static;
using Edge.Optimizer.Passes.Quantize.Weights;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Quantize.Dynamic;

/// <summary>
/// Dynamic int8: constant weights of MatMul and Gemm become int8 (per channel with <c>--per-channel</c>) and their
/// float input is quantized at run time with DynamicQuantizeLinear, then MatMulInteger, a Cast and the scale product,
/// the standard-op pattern ONNX Runtime fuses into one DynamicQuantizeMatMul kernel. LSTM becomes ONNX Runtime's
/// DynamicQuantizeLSTM. Every graph is processed, subgraphs (If/Loop/Scan bodies) included, reading weights from
/// enclosing scopes; GRU and RNN stay float because ONNX Runtime has no dynamically quantized kernel for them.
/// </summary>
internal sealed class DynamicQuantizer
{
    private const string MicrosoftDomain = "com.microsoft";

    private readonly QuantizeOptions _options;
    private readonly NameAllocator _names;

    private DynamicQuantizer(ModelProto model, QuantizeOptions options)
    {
        _options = options;
        _names = new NameAllocator(model);
    }

    public List<string> Quantized { get; } = [];

    public List<FloatNode> FloatNodes { get; } = [];

    public static DynamicQuantizer Run(ModelProto model, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var quantizer = new DynamicQuantizer(model, options);
        quantizer.Visit(model.Graph, null, "main");
        GraphCleanup.RemoveUnusedConstants(model.Graph);
        if (quantizer.Quantized.Any(q => q.StartsWith("LSTM", StringComparison.Ordinal)) && model.OpsetImport.All(o => o.Domain != MicrosoftDomain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return quantizer;
    }

    private void Visit(GraphProto graph, ConstantResolver? parent, string location)
    {
        var constants = new ConstantResolver(graph, parent);
        foreach (var node in graph.Node.ToList())
        {
            foreach (var attribute in node.Attribute)
            {
                foreach (var subgraph in attribute.Graphs.Prepend(attribute.G).OfType<GraphProto>())
                {
                    Visit(subgraph, constants, $"{location}/{(node.Name.Length > 0 ? node.Name : node.OpType)}.{attribute.Name}");
                }
            }

            if (node.OpType is not ("MatMul" or "Gemm" or "LSTM" or "GRU" or "RNN") || node.Domain is not ("" or "ai.onnx"))
            {
                continue;
            }

            var name = node.Name.Length > 0 ? node.Name : node.OpType;
            var reason = Excluded(node) ?? node.OpType switch
            {
                "MatMul" or "Gemm" => TryMatMul(graph, node, constants),
                "LSTM" => TryLstm(graph, node, constants),
                _ => "ONNX Runtime has no dynamically quantized kernel for it",
            };
            if (reason is null)
            {
                Quantized.Add($"{node.OpType} {name} ({location})");
            }
            else
            {
                FloatNodes.Add(new FloatNode($"{name} ({location})", node.OpType, reason));
            }
        }

        GraphOrder.Sort(graph);
    }

    private string? Excluded(NodeProto node)
    {
        if (_options.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || _options.ExcludeOpTypes.Contains(node.OpType, StringComparer.Ordinal))
        {
            return "excluded by option";
        }

        return _options.OpTypes.Count > 0 && !_options.OpTypes.Contains(node.OpType, StringComparer.Ordinal) ? "not in --op-types" : null;
    }

    private string? TryMatMul(GraphProto graph, NodeProto node, ConstantResolver constants)
    {
        var weight = constants.FloatConstant(node.Input[1]);
        if (weight is null || weight.Dims.Count != 2)
        {
            return "its weight is not a 2-D float32 constant";
        }

        var values = TensorData.ReadFloats(weight);
        var (k, n) = ((int)weight.Dims[0], (int)weight.Dims[1]);
        float[]? bias = null;
        if (node.OpType == "Gemm")
        {
            if (NodeAttributes.Int(node, "transA", 0) != 0 || NodeAttributes.Float(node, "alpha", 1) != 1)
            {
                return "Gemm with transA or alpha other than 1 has no integer pattern";
            }

            if (NodeAttributes.Int(node, "transB", 0) != 0)
            {
                values = Transpose(values, k, n);
                (k, n) = (n, k);
            }

            if (node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                var c = constants.FloatConstant(node.Input[2]);
                if (c is null)
                {
                    return "its bias C is computed, not a constant";
                }

                var beta = NodeAttributes.Float(node, "beta", 1);
                bias = Array.ConvertAll(TensorData.ReadFloats(c), v => v * beta);
                if (bias.Length != n && bias.Length != 1)
                {
                    return "its bias C is not a vector over the output columns";
                }
            }
        }

        var quantized = WeightQuantizer.Quantize(values, [k, n], _options.PerChannel ? 1 : null, _options.WeightType, _options.WeightSymmetric);
        var prefix = node.Name.Length > 0 ? node.Name : node.Output[0];
        var weightName = _names.Allocate(prefix + "_weight_quantized");
        graph.Initializer.Add(TensorFactory.Raw(weightName, QuantParameters.ElementType(_options.WeightType), [k, n], quantized.Data));
        var weightScale = _names.Allocate(prefix + "_weight_scale");
        graph.Initializer.Add(TensorFactory.Scales(weightScale, [.. quantized.Parameters.Select(p => p.Scale)]));
        var weightZeroPoint = _names.Allocate(prefix + "_weight_zero_point");
        graph.Initializer.Add(TensorFactory.ZeroPoints(weightZeroPoint, QuantParameters.ElementType(_options.WeightType), [.. quantized.Parameters.Select(p => p.ZeroPoint)]));

        string New(string suffix) => _names.Allocate($"{prefix}_{suffix}");
        var (inputQuantized, inputScale, inputZeroPoint) = (New("input_quantized"), New("input_scale"), New("input_zero_point"));
        var (product, productFloat, scale) = (New("matmul_integer"), New("matmul_float"), New("scale"));
        var output = node.Output[0];
        var scaled = bias is null ? output : New("scaled");
        var added = new List<NodeProto>
        {
            Make("DynamicQuantizeLinear", [node.Input[0]], [inputQuantized, inputScale, inputZeroPoint]),
            Make("MatMulInteger", [inputQuantized, weightName, inputZeroPoint, weightZeroPoint], [product]),
            Make("Cast", [product], [productFloat], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)DataType.Float }),
            Make("Mul", [inputScale, weightScale], [scale]),
            Make("Mul", [productFloat, scale], [scaled]),
        };
        if (bias is not null)
        {
            var biasName = New("bias");
            graph.Initializer.Add(TensorFactory.Raw(biasName, DataType.Float, [bias.Length], MemoryMarshal.AsBytes(bias.AsSpan())));
            added.Add(Make("Add", [scaled, biasName], [output]));
        }

        var index = graph.Node.IndexOf(node);
        graph.Node.RemoveAt(index);
        for (var i = 0; i < added.Count; i++)
        {
            graph.Node.Insert(index + i, added[i]);
        }

        return null;
    }

    private string? TryLstm(GraphProto graph, NodeProto node, ConstantResolver constants)
    {
        var w = constants.FloatConstant(node.Input[1]);
        var r = constants.FloatConstant(node.Input[2]);
        if (w is null || r is null || w.Dims.Count != 3 || r.Dims.Count != 3)
        {
            return "its W and R weights are not 3-D float32 constants";
        }

        if (NodeAttributes.Int(node, "layout", 0) != 0)
        {
            return "DynamicQuantizeLSTM supports only layout 0";
        }

        var prefix = node.Name.Length > 0 ? node.Name : node.Output.First(o => o.Length > 0);
        var (wName, wScale, wZero) = AddLstmWeight(graph, prefix + "_W", w);
        var (rName, rScale, rZero) = AddLstmWeight(graph, prefix + "_R", r);
        var inputs = node.Input.ToList();
        inputs[1] = wName;
        inputs[2] = rName;
        while (inputs.Count < 8)
        {
            inputs.Add("");
        }

        inputs.AddRange([wScale, wZero, rScale, rZero]);
        var replacement = new NodeProto { OpType = "DynamicQuantizeLSTM", Domain = MicrosoftDomain, Name = _names.Allocate(prefix + "_quantized") };
        replacement.Input.AddRange(inputs);
        replacement.Output.AddRange(node.Output);
        replacement.Attribute.AddRange(node.Attribute.Where(a => a.Name != "layout"));
        graph.Node[graph.Node.IndexOf(node)] = replacement;
        return null;
    }

    /// <summary>DynamicQuantizeLSTM takes weights as [directions, input, 4 x hidden] (transposed from ONNX LSTM), scaled per direction and gate column.</summary>
    private (string Name, string Scale, string ZeroPoint) AddLstmWeight(GraphProto graph, string prefix, TensorProto weight)
    {
        var (directions, rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1], (int)weight.Dims[2]);
        var values = TensorData.ReadFloats(weight);
        var data = new byte[values.Length];
        var scales = new float[directions * rows];
        for (var d = 0; d < directions; d++)
        {
            // [4 x hidden, input] -> [input, 4 x hidden]; one scale per gate column of each direction
            var transposed = Transpose(values.AsSpan(d * rows * columns, rows * columns), rows, columns);
            var quantized = WeightQuantizer.Quantize(transposed, [columns, rows], 1, QuantizedType.Int8, symmetric: true);
            quantized.Data.CopyTo(data, d * rows * columns);
            for (var c = 0; c < rows; c++)
            {
                scales[(d * rows) + c] = quantized.Parameters[c].Scale;
            }
        }

        var name = _names.Allocate(prefix + "_quantized");
        var scale = _names.Allocate(prefix + "_scale");
        var zeroPoint = _names.Allocate(prefix + "_zero_point");
        graph.Initializer.Add(TensorFactory.Raw(name, DataType.Int8, [directions, columns, rows], data));
        graph.Initializer.Add(TensorFactory.Raw(scale, DataType.Float, [directions, rows], MemoryMarshal.AsBytes(scales.AsSpan())));
        graph.Initializer.Add(TensorFactory.Raw(zeroPoint, DataType.Int8, [directions, rows], new byte[directions * rows]));
        return (name, scale, zeroPoint);
    }

    private NodeProto Make(string opType, string[] inputs, string[] outputs, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = opType, Name = _names.Allocate(outputs[0] + "_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attribute is not null)
        {
            node.Attribute.Add(attribute);
        }

        return node;
    }

    private static float[] Transpose(ReadOnlySpan<float> values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                result[(j * rows) + i] = values[(i * columns) + j];
            }
        }

        return result;
    }
}
