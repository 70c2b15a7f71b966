using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// An ONNX graph run node by node with TorchSharp, so it can be trained. The trainable parameters are the float
/// initializers that serve as Conv/ConvTranspose/Gemm/MatMul weights and biases and BatchNormalization scales and
/// shifts; BatchNormalization running means and variances are buffers updated in training mode. Every other
/// initializer is a fixed constant. The module owns its tensors; dispose it to free them.
/// </summary>
internal sealed class OnnxTorchModule : nn.Module
{
    private readonly IReadOnlyList<CompiledNode> nodes;
    private readonly Dictionary<string, Tensor> fixedValues;

    private OnnxTorchModule(IReadOnlyList<CompiledNode> nodes, Dictionary<string, Tensor> fixedValues, Dictionary<string, Parameter> parameters,
        Dictionary<string, Tensor> statistics, IReadOnlyList<string> inputNames, IReadOnlyList<string> outputNames)
        : base("OnnxStudent")
    {
        this.nodes = nodes;
        this.fixedValues = fixedValues;
        TrainableParameters = parameters;
        RunningStatistics = statistics;
        InputNames = inputNames;
        OutputNames = outputNames;
        var index = 0;
        foreach (var (name, parameter) in parameters)
        {
            register_parameter($"p{index++}_{Sanitize(name)}", parameter);
        }

        foreach (var (name, buffer) in statistics)
        {
            register_buffer($"b{index++}_{Sanitize(name)}", buffer);
        }
    }

    /// <summary>Trainable parameters by initializer name.</summary>
    public IReadOnlyDictionary<string, Parameter> TrainableParameters { get; }

    /// <summary>BatchNormalization running means and variances by initializer name.</summary>
    public IReadOnlyDictionary<string, Tensor> RunningStatistics { get; }

    /// <summary>Graph inputs that are not initializers, in graph order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Graph outputs in graph order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Every value name the graph computes (for matching hint tensors).</summary>
    public IEnumerable<string> ComputedValues => nodes.SelectMany(n => n.Outputs);

    /// <summary>
    /// Builds the module. Throws <see cref="UnsupportedOperatorException"/> naming the first node it cannot train
    /// (and how many others there are) before any tensor is allocated.
    /// </summary>
    public static OnnxTorchModule Create(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.GetGraph();
        var opset = model.Proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 1;
        var context = new CompileContext(opset, model.ExternalDataDirectory);
        foreach (var initializer in graph.Proto.Initializer)
        {
            context.AddConstant(initializer.Name, initializer);
        }

        context.MarkUsed(graph.Proto.Node.SelectMany(n => n.Input));
        context.MarkUsed(graph.Proto.Output.Select(o => o.Name));
        var compiled = new List<CompiledNode>();
        var failures = new List<UnsupportedOperatorException>();
        foreach (var node in graph.TopologicalOrder())
        {
            try
            {
                if (node.OpType == "Constant" && node.Domain is "" or "ai.onnx")
                {
                    context.AddConstant(node.Output[0], ConstantValue(node));
                    continue;
                }

                compiled.Add(new CompiledNode(node, [.. node.Input], [.. node.Output], NodeCompiler.Compile(node, context)));
            }
            catch (UnsupportedOperatorException e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            var first = failures[0];
            var others = failures.Count == 1 ? "" : $" ({failures.Count - 1} more unsupported: {string.Join(", ", failures.Skip(1).Take(5).Select(f => $"'{f.NodeName}' ({f.OpType})"))})";
            throw new UnsupportedOperatorException(first.OpType, first.NodeName, first.Message[(first.Message.IndexOf(')', StringComparison.Ordinal) + 2)..].TrimEnd('.') + others);
        }

        var roles = ParameterRoles.Find(graph);
        var parameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        var statistics = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var initializer in graph.Proto.Initializer)
            {
                var tensor = ToTensor(initializer, model.ExternalDataDirectory);
                if (tensor is null)
                {
                    continue;
                }

                if (roles.Trainable.Contains(initializer.Name) && tensor.dtype == ScalarType.Float32)
                {
                    var parameter = new Parameter(tensor, requires_grad: true);
                    parameters[initializer.Name] = parameter;
                    values[initializer.Name] = parameter;
                }
                else
                {
                    if (roles.Statistics.Contains(initializer.Name) && tensor.dtype == ScalarType.Float32)
                    {
                        statistics[initializer.Name] = tensor;
                    }

                    values[initializer.Name] = tensor;
                }
            }

            foreach (var node in graph.Proto.Node.Where(n => n.OpType == "Constant"))
            {
                values[node.Output[0]] = ToTensor(context.Constant(node.Output[0])!, null)
                    ?? throw CompileContext.Unsupported(node, $"holds a {(DataType)context.Constant(node.Output[0])!.DataType} value; float, int64 and int32 are supported");
            }

            var initializerNames = graph.Proto.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            var inputs = graph.Proto.Input.Select(i => i.Name).Where(n => !initializerNames.Contains(n)).ToList();
            var outputs = graph.Proto.Output.Select(o => o.Name).ToList();
            return new OnnxTorchModule(compiled, values, parameters, statistics, inputs, outputs);
        }
        catch
        {
            foreach (var tensor in values.Values)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs the graph and returns the first output for a single-input graph.</summary>
    public Tensor Forward(Tensor input) => Forward(new Dictionary<string, Tensor>(StringComparer.Ordinal) { [InputNames[0]] = input }, [OutputNames[0]])[OutputNames[0]];

    /// <summary>
    /// Runs the graph on <paramref name="inputs"/> (by graph input name) and returns the values named in
    /// <paramref name="wanted"/>: graph outputs or intermediate tensors. Uses batch statistics and dropout while
    /// the module is in training mode (<c>train()</c>), running statistics after <c>eval()</c>.
    /// </summary>
    public Dictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyCollection<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(wanted);
        var env = new Dictionary<string, Tensor>(fixedValues, StringComparer.Ordinal);
        foreach (var name in InputNames)
        {
            env[name] = inputs.TryGetValue(name, out var value) ? value : throw new ArgumentException($"Input '{name}' was not given; the student takes {string.Join(", ", InputNames)}.", nameof(inputs));
        }

        var training = this.training;
        foreach (var node in nodes)
        {
            var args = new Tensor?[node.Inputs.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = node.Inputs[i].Length == 0 ? null : env[node.Inputs[i]];
            }

            var results = node.Kernel(args, training);
            for (var i = 0; i < node.Outputs.Count && i < results.Length; i++)
            {
                if (node.Outputs[i].Length > 0)
                {
                    env[node.Outputs[i]] = results[i];
                }
            }
        }

        return wanted.ToDictionary(w => w, w => env.TryGetValue(w, out var v) ? v : throw new ArgumentException($"The student has no value named '{w}'.", nameof(wanted)), StringComparer.Ordinal);
    }

    private static TensorProto ConstantValue(NodeProto node)
    {
        if (NodeAttributes.Tensor(node, "value") is { } value)
        {
            return value;
        }

        var tensor = new TensorProto();
        if (NodeAttributes.Has(node, "value_float"))
        {
            tensor.DataType = (int)DataType.Float;
            TensorData.WriteFloats(tensor, [NodeAttributes.Float(node, "value_float", 0)]);
        }
        else if (NodeAttributes.Ints(node, "value_ints") is { } ints)
        {
            tensor.DataType = (int)DataType.Int64;
            tensor.Dims.Add(ints.Length);
            TensorData.WriteInt64s(tensor, ints);
        }
        else if (NodeAttributes.Has(node, "value_int"))
        {
            tensor.DataType = (int)DataType.Int64;
            TensorData.WriteInt64s(tensor, [NodeAttributes.Int(node, "value_int", 0)]);
        }
        else
        {
            throw CompileContext.Unsupported(node, "holds a value form other than value, value_float, value_int or value_ints");
        }

        return tensor;
    }

    private static Tensor? ToTensor(TensorProto proto, string? externalDataDirectory)
    {
        long[] dims = [.. proto.Dims];
        return proto.DataType switch
        {
            (int)DataType.Float => torch.tensor(TensorData.ReadFloats(proto, externalDataDirectory), dims),
            (int)DataType.Int64 or (int)DataType.Int32 => torch.tensor(TensorData.ReadInt64s(proto, externalDataDirectory), dims),
            _ => null,
        };
    }

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
