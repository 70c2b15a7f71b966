using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// What compiling a node may look at: the default-domain opset and the values known before the graph runs
/// (initializers and Constant outputs), which shape-like inputs (Reshape's shape, Slice's starts, ...) must be.
/// </summary>
internal sealed class CompileContext(long opset, string? externalDataDirectory)
{
    private readonly Dictionary<string, TensorProto> constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public long Opset { get; } = opset;

    public string? ExternalDataDirectory { get; } = externalDataDirectory;

    /// <summary>Records values that some node reads or the graph outputs, so unread extra outputs can be ignored.</summary>
    public void MarkUsed(IEnumerable<string> names) => used.UnionWith(names);

    public bool IsUsed(string name) => used.Contains(name);

    public void AddConstant(string name, TensorProto tensor) => constants[name] = tensor;

    public bool IsConstant(string name) => constants.ContainsKey(name);

    public TensorProto? Constant(string name) => constants.GetValueOrDefault(name);

    /// <summary>The integer values of constant input <paramref name="index"/>, or null when the input is omitted.</summary>
    public long[]? ConstantInts(NodeProto node, int index)
    {
        if (index >= node.Input.Count || node.Input[index].Length == 0)
        {
            return null;
        }

        var tensor = constants.GetValueOrDefault(node.Input[index]) ?? throw Unsupported(node, $"needs input {index} ('{node.Input[index]}') to be a constant, but it is computed by the graph");
        return tensor.DataType switch
        {
            (int)DataType.Int64 or (int)DataType.Int32 => TensorData.ReadInt64s(tensor, ExternalDataDirectory),
            _ => throw Unsupported(node, $"needs input {index} ('{node.Input[index]}') to be int64 or int32, but it is {(DataType)tensor.DataType}"),
        };
    }

    /// <summary>The float values of constant input <paramref name="index"/>, or null when the input is omitted.</summary>
    public float[]? ConstantFloats(NodeProto node, int index)
    {
        if (index >= node.Input.Count || node.Input[index].Length == 0)
        {
            return null;
        }

        var tensor = constants.GetValueOrDefault(node.Input[index]) ?? throw Unsupported(node, $"needs input {index} ('{node.Input[index]}') to be a constant, but it is computed by the graph");
        return tensor.DataType == (int)DataType.Float
            ? TensorData.ReadFloats(tensor, ExternalDataDirectory)
            : throw Unsupported(node, $"needs input {index} ('{node.Input[index]}') to be float, but it is {(DataType)tensor.DataType}");
    }

    public static UnsupportedOperatorException Unsupported(NodeProto node, string reason) =>
        new(node.OpType, NodeAttributes.DisplayName(node), reason);
}
