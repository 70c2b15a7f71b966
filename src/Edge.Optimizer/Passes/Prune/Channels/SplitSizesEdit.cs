using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Rewrite a Split on the channel axis: each output's size becomes the kept count of its original range.</summary>
internal sealed record SplitSizesEdit(NodeProto Node, ChannelLayout Layout, IReadOnlyList<int> Sizes) : ChannelEdit(Node, Layout);
