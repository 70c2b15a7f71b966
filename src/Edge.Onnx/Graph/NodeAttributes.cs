using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>Typed reads of a node's attributes, with the default the operator spec gives supplied by the caller.</summary>
internal static class NodeAttributes
{
    public static string DisplayName(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;

    public static bool Has(NodeProto node, string name) => node.Attribute.Any(a => a.Name == name);

    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    public static string String(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static long[]? Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? [.. a.Ints] : null;

    public static TensorProto? Tensor(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.T;
}
