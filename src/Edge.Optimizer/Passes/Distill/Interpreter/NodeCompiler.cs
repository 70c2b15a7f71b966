using Edge.Onnx.Protobuf;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// Turns ONNX nodes into TorchSharp kernels. Each supported op type maps to one compile method, which reads the
/// node's attributes and constant inputs once and refuses, with the op and node named, any form it cannot train.
/// </summary>
internal static partial class NodeCompiler
{
    private static readonly Dictionary<string, Func<NodeProto, CompileContext, NodeKernel>> Compilers = new(StringComparer.Ordinal)
    {
        ["Conv"] = Conv,
        ["ConvTranspose"] = ConvTranspose,
        ["Gemm"] = Gemm,
        ["MatMul"] = MatMul,
        ["BatchNormalization"] = BatchNormalization,
        ["Relu"] = (_, _) => Unary(x => F.relu(x)),
        ["LeakyRelu"] = LeakyRelu,
        ["Clip"] = Clip,
        ["Sigmoid"] = (_, _) => Unary(x => x.sigmoid()),
        ["Tanh"] = (_, _) => Unary(x => x.tanh()),
        ["HardSigmoid"] = HardSigmoid,
        ["HardSwish"] = (_, _) => Unary(x => F.hardswish(x)),
        ["Add"] = (_, _) => Binary((a, b) => a.Plus(b)),
        ["Sub"] = (_, _) => Binary((a, b) => a - b),
        ["Mul"] = (_, _) => Binary((a, b) => a * b),
        ["Div"] = (_, _) => Binary((a, b) => a / b),
        ["Concat"] = Concat,
        ["Split"] = Split,
        ["Slice"] = Slice,
        ["Reshape"] = Reshape,
        ["Flatten"] = Flatten,
        ["Transpose"] = Transpose,
        ["Squeeze"] = Squeeze,
        ["Unsqueeze"] = Unsqueeze,
        ["MaxPool"] = MaxPool,
        ["AveragePool"] = AveragePool,
        ["GlobalAveragePool"] = (_, _) => Unary(x => x.mean([.. Enumerable.Range(2, (int)x.dim() - 2).Select(d => (long)d)], keepdim: true)),
        ["Softmax"] = Softmax,
        ["Dropout"] = Dropout,
        ["Resize"] = Resize,
        ["Pad"] = Pad,
        ["Identity"] = (_, _) => (inputs, _) => [inputs[0]!],
    };

    /// <summary>The op types the interpreter can train, in the default ONNX domain.</summary>
    public static IReadOnlyCollection<string> SupportedOps => Compilers.Keys;

    /// <summary>Compiles <paramref name="node"/>; Constant nodes are handled by the module, which records their values.</summary>
    public static NodeKernel Compile(NodeProto node, CompileContext context)
    {
        if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
        {
            throw CompileContext.Unsupported(node, $"is in domain '{node.Domain}'; the interpreter covers only the default ONNX domain ({SupportedList()})");
        }

        if (!Compilers.TryGetValue(node.OpType, out var compile))
        {
            throw CompileContext.Unsupported(node, $"is not an op the interpreter can train; supported: {SupportedList()}");
        }

        return compile(node, context);
    }

    private static string SupportedList() => string.Join(", ", Compilers.Keys.Append("Constant").Order(StringComparer.Ordinal));

    private static NodeKernel Unary(Func<Tensor, Tensor> op) => (inputs, _) => [op(inputs[0]!)];

    private static NodeKernel Binary(Func<Tensor, Tensor, Tensor> op) => (inputs, _) => [op(inputs[0]!, inputs[1]!)];

    /// <summary>Refuses nodes whose extra outputs (MaxPool's indices, Dropout's mask, ...) the graph reads.</summary>
    private static void RequireSingleOutput(NodeProto node, CompileContext context)
    {
        if (node.Output.Skip(1).FirstOrDefault(context.IsUsed) is { } extra)
        {
            throw CompileContext.Unsupported(node, $"has its extra output '{extra}' read by the graph; only the first output is supported");
        }
    }

    private static long Normalize(long axis, long rank) => axis < 0 ? axis + rank : axis;
}
