using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>One change the surgery makes once the kept channels are chosen; <see cref="Layout"/> says which channels an axis holds.</summary>
internal abstract record ChannelEdit(NodeProto Node, ChannelLayout Layout);
