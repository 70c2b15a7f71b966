using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Prune.Surgery;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Walks a model in topological order and tracks, for every tensor, which channel groups its channel axis carries:
/// Conv, ConvTranspose, Gemm and MatMul with constant weights start a group; element-wise ops, normalization, pooling,
/// depthwise convolutions, Concat, Split, Slice, Transpose and channel-preserving reshapes carry groups on; element-wise
/// ops joining two tensors join their groups; the next layer's weights consume them. Every op it does not know, or
/// knows but cannot prove safe, freezes the groups reaching it with a reason, so the surgery never breaks a graph.
/// </summary>
internal sealed partial class ChannelAnalyzer
{
    private readonly OnnxModel model;
    private readonly ConstantStore constants;
    private readonly IReadOnlyDictionary<string, long[]> shapes;
    private readonly long opset;
    private readonly Dictionary<string, ChannelLayout> layouts = new(StringComparer.Ordinal);
    private readonly ChannelGroups groups = new();
    private readonly List<ChannelEdit> edits = [];
    private readonly List<ChannelSource> sources = [];
    private readonly List<(NodeProto Node, int Group)> gammas = [];

    private ChannelAnalyzer(OnnxModel model, IReadOnlyDictionary<string, long[]> shapes)
    {
        this.model = model;
        this.shapes = shapes;
        constants = new ConstantStore(model);
        opset = model.Proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
    }

    /// <summary>Analyzes <paramref name="model"/> (which the surgery will later edit) given every value's shape from a probe run.</summary>
    public static ChannelAnalysis Analyze(OnnxModel model, IReadOnlyDictionary<string, long[]> shapes)
    {
        var analyzer = new ChannelAnalyzer(model, shapes);
        analyzer.Run();
        return new ChannelAnalysis(model, analyzer.constants, analyzer.groups, analyzer.edits, analyzer.sources, analyzer.gammas, analyzer.layouts, shapes);
    }

    private static string Describe(NodeProto node) => node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : node.OpType;

    private static int Normalize(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);

    private void Run()
    {
        var graph = model.GetGraph();
        foreach (var node in graph.TopologicalOrder())
        {
            var inputs = node.Input.Select(i => i.Length > 0 ? layouts.GetValueOrDefault(i) : null).ToArray();
            if (node.Domain is not ("" or "ai.onnx"))
            {
                Barrier(node, inputs, $"operator domain '{node.Domain}' is not understood");
                continue;
            }

            Visit(node, inputs);
        }

        foreach (var output in model.Proto.Graph.Output)
        {
            if (layouts.TryGetValue(output.Name, out var layout))
            {
                Freeze(layout, $"its channels reach graph output '{output.Name}', whose shape must not change");
            }
        }

        foreach (var (value, layout) in layouts)
        {
            if (graph.GetConsumers(value).FirstOrDefault(n => !n.Input.Contains(value)) is { } reader)
            {
                Freeze(layout, $"a subgraph of {Describe(reader)} reads it");
            }
        }
    }

    private void Visit(NodeProto node, ChannelLayout?[] inputs)
    {
        switch (node.OpType)
        {
            case "Conv" or "ConvTranspose":
                VisitConv(node, inputs);
                break;
            case "Gemm":
                VisitGemm(node, inputs);
                break;
            case "MatMul":
                VisitMatMul(node, inputs);
                break;
            case "BatchNormalization":
                VisitNormalization(node, inputs, parameterCount: 4);
                break;
            case "InstanceNormalization":
                VisitNormalization(node, inputs, parameterCount: 2);
                break;
            case "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "HardSigmoid" or "HardSwish" or "Elu" or "Selu" or "Celu" or "Softplus" or
                "Softsign" or "Gelu" or "Mish" or "ThresholdedRelu" or "Clip" or "Dropout" or "Identity" or "Cast" or "Neg" or "Abs" or
                "Exp" or "Log" or "Sqrt" or "Reciprocal" or "Floor" or "Ceil" or "Round" or "Erf" or "Sin" or "Cos" or "Sign" or "Not" or
                "IsNaN" or "IsInf" or "Shrink" or "Swish":
                VisitUnary(node, inputs);
                break;
            case "MaxPool" or "AveragePool" or "LpPool" or "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool":
                VisitPool(node, inputs);
                break;
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Max" or "Min" or "Sum" or "Mean" or "PRelu" or "Where" or "Equal" or
                "Greater" or "Less" or "GreaterOrEqual" or "LessOrEqual" or "And" or "Or" or "Xor" or "Mod":
                VisitElementwise(node, inputs);
                break;
            case "Concat":
                VisitConcat(node, inputs);
                break;
            case "Split":
                VisitSplit(node, inputs);
                break;
            case "Slice":
                VisitSlice(node, inputs);
                break;
            case "Transpose":
                VisitTranspose(node, inputs);
                break;
            case "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze":
                VisitReshape(node, inputs);
                break;
            case "Softmax" or "LogSoftmax" or "Hardmax":
                VisitSoftmax(node, inputs);
                break;
            case "LayerNormalization":
                VisitLayerNormalization(node, inputs);
                break;
            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2" or "ReduceLogSum" or
                "ReduceLogSumExp" or "ReduceSumSquare" or "ArgMax" or "ArgMin":
                VisitReduce(node, inputs);
                break;
            case "Pad":
                VisitPad(node, inputs);
                break;
            case "Resize" or "Upsample":
                VisitResize(node, inputs);
                break;
            default:
                Barrier(node, inputs, "the operator is not known to keep channels independent");
                break;
        }
    }

    /// <summary>Freezes every group reaching <paramref name="node"/>; its outputs carry no groups.</summary>
    private void Barrier(NodeProto node, ChannelLayout?[] inputs, string reason)
    {
        foreach (var layout in inputs.OfType<ChannelLayout>())
        {
            Freeze(layout, $"consumed by {Describe(node)}: {reason}");
        }
    }

    private void Freeze(ChannelLayout layout, string reason)
    {
        foreach (var group in layout.Groups)
        {
            groups.Freeze(group, reason);
        }
    }

    private void SetOutput(NodeProto node, int output, ChannelLayout? layout)
    {
        if (layout is not null && output < node.Output.Count && node.Output[output].Length > 0 && layout.HasGroups)
        {
            layouts[node.Output[output]] = layout;
        }
    }

    private long[]? Shape(string value) =>
        value.Length > 0 && shapes.TryGetValue(value, out var shape) ? shape : constants.FloatDims(value);

    private int? Rank(string value) => Shape(value)?.Length;

    private bool IsUsed(string value) =>
        value.Length > 0 && (model.Proto.Graph.Node.Any(n => n.Input.Contains(value)) || model.Proto.Graph.Output.Any(o => o.Name == value));

    /// <summary>Records a slice of a constant input, or freezes the layout when the input is not a float constant.</summary>
    private bool SliceConstant(NodeProto node, int input, int axis, ChannelLayout layout, SliceRole role)
    {
        if (input >= node.Input.Count || node.Input[input].Length == 0)
        {
            return true;
        }

        var dims = constants.FloatDims(node.Input[input]);
        if (dims is null || axis >= dims.Length || dims[axis] != layout.Length)
        {
            Freeze(layout, $"input {input} of {Describe(node)} is not a float constant with {layout.Length} entries on axis {axis}");
            return false;
        }

        edits.Add(new SliceConstantEdit(node, input, axis, layout, role));
        return true;
    }
}
