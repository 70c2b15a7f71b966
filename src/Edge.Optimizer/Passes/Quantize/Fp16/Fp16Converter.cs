using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Quantize.Preparation;
using Edge.Optimizer.Passes.Quantize.Static;
using Microsoft.ML.OnnxRuntime.Tensors;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Quantize.Fp16;

/// <summary>
/// Converts a float32 model to fp16 weights and compute. Every float32 value gets a precision: produced by a
/// converted node or a converted initializer means fp16; produced by a blocked node (block list, subgraph holders,
/// other domains, or nodes ONNX Runtime has no fp16 kernel for) means float32. A Cast is added only where a consumer
/// needs the other precision, once per value and direction, so runs of blocked nodes stay float32 without casts
/// between them. Optionally graph inputs and outputs stay float32. Initializers beyond ±65504 are clamped and reported.
/// </summary>
internal sealed class Fp16Converter
{
    private const float Fp16Max = 65504f;

    /// <summary>Inputs that stay float32 whatever the data type (Resize's scales, Upsample's scales).</summary>
    private static readonly HashSet<(string, int)> Float32Slots = [("Resize", 2), ("Upsample", 1)];

    private readonly GraphProto _graph;
    private readonly QuantizeOptions _options;
    private readonly NameAllocator _names;
    private readonly HashSet<string> _floatValues;
    private readonly Dictionary<string, bool> _isHalf = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, bool), string> _casts = [];
    private readonly List<FloatNode> _float32Nodes = [];
    private readonly List<ClampedInitializer> _clamped = [];
    private int _castsAdded;

    private Fp16Converter(ModelProto model, QuantizeOptions options, IReadOnlyDictionary<string, TensorElementType> types)
    {
        _graph = model.Graph;
        _options = options;
        _names = new NameAllocator(model);
        _floatValues = new HashSet<string>(types.Where(t => t.Value == TensorElementType.Float).Select(t => t.Key), StringComparer.Ordinal);
        _floatValues.UnionWith(_graph.Initializer.Where(i => i.DataType == (int)DataType.Float).Select(i => i.Name));
    }

    /// <param name="model">The float32 model (not changed).</param>
    /// <param name="options">Block list and I/O choice.</param>
    /// <param name="types">Element type of every main-graph value, as ONNX Runtime inferred it.</param>
    /// <param name="blockedNodes">Node names to keep float32 in addition to the block list (nodes without an fp16 kernel).</param>
    public static Fp16Result Convert(OnnxModel model, QuantizeOptions options, IReadOnlyDictionary<string, TensorElementType> types, IReadOnlySet<string> blockedNodes)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copy = OnnxModel.FromProto(model.Proto.Clone(), model.ExternalDataDirectory);
        var converter = new Fp16Converter(copy.Proto, options, types);
        var converted = converter.Run(blockedNodes);
        return new Fp16Result(copy, converted, converter._float32Nodes, converter._castsAdded, converter._clamped);
    }

    private int Run(IReadOnlySet<string> blockedNodes)
    {
        var nodes = _graph.Node.ToList();
        var blocked = nodes.ToDictionary(n => n, n => BlockReason(n, blockedNodes));
        var initializerNames = new HashSet<string>(_graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        foreach (var input in _graph.Input.Where(i => _floatValues.Contains(i.Name) && !initializerNames.Contains(i.Name)))
        {
            _isHalf[input.Name] = !_options.KeepIoTypes;
            if (!_options.KeepIoTypes)
            {
                input.Type.TensorType.ElemType = (int)DataType.Float16;
            }
        }

        // Values read as float32 whatever happens: kept graph outputs, and outer-scope values read inside subgraphs (left float32).
        var float32Values = new HashSet<string>(
            nodes.Where(ModelChecks.HoldsSubgraph).SelectMany(Scope.ImplicitInputs).Where(_floatValues.Contains),
            StringComparer.Ordinal);
        if (_options.KeepIoTypes)
        {
            float32Values.UnionWith(_graph.Output.Select(o => o.Name).Where(_floatValues.Contains));
        }

        var initializerUsers = nodes.SelectMany(n => n.Input.Select((name, slot) => (name, n, slot))).ToLookup(u => u.name, StringComparer.Ordinal);
        foreach (var initializer in _graph.Initializer.Where(i => i.DataType == (int)DataType.Float))
        {
            var half = !float32Values.Contains(initializer.Name)
                && initializerUsers[initializer.Name].Any(u => blocked[u.n] is null && !Float32Slots.Contains((u.n.OpType, u.slot)));
            _isHalf[initializer.Name] = half;
            if (half)
            {
                ConvertInitializer(initializer);

                // IR 3 models also declare every initializer as a graph input; the declaration must match.
                if (_graph.Input.FirstOrDefault(i => i.Name == initializer.Name)?.Type?.TensorType is { } declared)
                {
                    declared.ElemType = (int)DataType.Float16;
                }
            }
        }

        var converted = 0;
        foreach (var node in nodes)
        {
            var reason = blocked[node];
            if (reason is not null)
            {
                if (node.Input.Concat(node.Output).Any(_floatValues.Contains))
                {
                    _float32Nodes.Add(new FloatNode(node.Name.Length > 0 ? node.Name : node.OpType, node.OpType, reason));
                }
            }
            else
            {
                converted++;
                ConvertAttributes(node);
            }

            for (var slot = 0; slot < node.Input.Count; slot++)
            {
                var name = node.Input[slot];
                if (_floatValues.Contains(name) && _isHalf.TryGetValue(name, out var isHalf))
                {
                    var wantHalf = reason is null && !Float32Slots.Contains((node.OpType, slot));
                    if (isHalf != wantHalf)
                    {
                        node.Input[slot] = CastOf(name, wantHalf);
                    }
                }
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                var output = node.Output[i];
                if (!_floatValues.Contains(output))
                {
                    continue;
                }

                _isHalf[output] = reason is null;
                if (reason is null && float32Values.Contains(output))
                {
                    // Keep the name float32 for its float32 readers; fp16 readers take the value before the Cast.
                    var half = _names.Allocate(output + "_fp16");
                    node.Output[i] = half;
                    AddCast(half, output, toHalf: false);
                    _casts[(output, true)] = half;
                    _isHalf[output] = false;
                }
            }
        }

        foreach (var output in _graph.Output.Where(o => _isHalf.GetValueOrDefault(o.Name)))
        {
            output.Type.TensorType.ElemType = (int)DataType.Float16;
        }

        foreach (var info in _graph.ValueInfo.Where(v => _floatValues.Contains(v.Name)).ToList())
        {
            _graph.ValueInfo.Remove(info); // ONNX Runtime re-infers them; stale float32 entries would contradict fp16 values
        }

        GraphOrder.Sort(_graph);
        return converted;
    }

    private string? BlockReason(NodeProto node, IReadOnlySet<string> blockedNodes)
    {
        if (blockedNodes.Contains(node.Name))
        {
            return "ONNX Runtime has no fp16 kernel for it on this execution provider";
        }

        if (_options.Fp16BlockList.Contains(node.OpType, StringComparer.Ordinal))
        {
            return "on the fp16 block list (numerically unsafe in half precision)";
        }

        if (_options.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || _options.ExcludeOpTypes.Contains(node.OpType, StringComparer.Ordinal))
        {
            return "excluded by option";
        }

        if (node.Domain is not ("" or "ai.onnx"))
        {
            return $"domain '{node.Domain}' ops keep their declared types";
        }

        return ModelChecks.HoldsSubgraph(node) ? "holds subgraphs, which stay float32" : null;
    }

    private string CastOf(string name, bool toHalf)
    {
        if (!_casts.TryGetValue((name, toHalf), out var output))
        {
            output = _names.Allocate(name + (toHalf ? "_fp16" : "_fp32"));
            AddCast(name, output, toHalf);
            _casts[(name, toHalf)] = output;
        }

        return output;
    }

    private void AddCast(string input, string output, bool toHalf)
    {
        var cast = new NodeProto { OpType = "Cast", Name = _names.Allocate(output + "_Cast"), Input = { input }, Output = { output } };
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)(toHalf ? DataType.Float16 : DataType.Float) });
        _graph.Node.Add(cast);
        _castsAdded++;
    }

    private void ConvertAttributes(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == (long)DataType.Float)
            {
                attribute.I = (long)DataType.Float16;
            }
            else if (attribute.T is { DataType: (int)DataType.Float } tensor && node.OpType is "Constant" or "ConstantOfShape")
            {
                ConvertInitializer(tensor);
            }
        }
    }

    private void ConvertInitializer(TensorProto tensor)
    {
        var values = TensorData.ReadFloats(tensor);
        var clamped = 0;
        var largest = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            if (Math.Abs(values[i]) > Fp16Max && float.IsFinite(values[i]))
            {
                largest = Math.Max(largest, Math.Abs(values[i]));
                values[i] = Math.Clamp(values[i], -Fp16Max, Fp16Max);
                clamped++;
            }
        }

        if (clamped > 0)
        {
            _clamped.Add(new ClampedInitializer(tensor.Name, clamped, largest));
        }

        tensor.DataType = (int)DataType.Float16;
        TensorData.WriteFloats(tensor, values);
    }
}
