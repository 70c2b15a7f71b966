using System.Diagnostics.CodeAnalysis;
using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>Typed reads of a node's attributes, with the default the operator spec gives supplied by the caller.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ONNX's attribute types (AttributeProto INT, FLOAT, STRING, INTS, TENSOR), which the passes read by name.")]
public static class NodeAttributes
{
    /// <summary>A name for messages: the node's name, else its first output, else its op type.</summary>
    /// <param name="node">The node.</param>
    public static string DisplayName(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;

    /// <summary>Whether the node sets the attribute.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    public static bool Has(NodeProto node, string name) => node.Attribute.Any(a => a.Name == name);

    /// <summary>The INT attribute's value, or <paramref name="fallback"/> when the node does not set it.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The operator spec's default.</param>
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>The FLOAT attribute's value, or <paramref name="fallback"/> when the node does not set it.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The operator spec's default.</param>
    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>The STRING attribute's value decoded as UTF-8, or <paramref name="fallback"/> when the node does not set it.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The operator spec's default.</param>
    public static string String(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>A copy of the INTS attribute's values, or null when the node does not set it.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    public static long[]? Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? [.. a.Ints] : null;

    /// <summary>The TENSOR attribute (the node's own instance, not a copy), or null when the node does not set it.</summary>
    /// <param name="node">The node; not changed.</param>
    /// <param name="name">The attribute name.</param>
    public static TensorProto? Tensor(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.T;
}
