using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Rewrite entry <see cref="Entry"/> of a Slice's starts and ends, which cut [<see cref="Start"/>, <see cref="End"/>) of the channel axis.</summary>
internal sealed record SliceBoundsEdit(NodeProto Node, int Entry, ChannelLayout Layout, int Start, int End) : ChannelEdit(Node, Layout);
