using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Set a depthwise Conv's <c>group</c> attribute to the number of channels it keeps.</summary>
internal sealed record GroupCountEdit(NodeProto Node, ChannelLayout Layout) : ChannelEdit(Node, Layout);
