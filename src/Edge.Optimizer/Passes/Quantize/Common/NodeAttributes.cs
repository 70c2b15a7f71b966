using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Common;

/// <summary>Reads node attributes with the default the operator spec gives when one is absent.</summary>
internal static class NodeAttributes
{
    public static long GetInt(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } found ? found.I : fallback;

    public static float GetFloat(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } found ? found.F : fallback;

    public static string GetString(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } found ? found.S.ToStringUtf8() : fallback;
}
