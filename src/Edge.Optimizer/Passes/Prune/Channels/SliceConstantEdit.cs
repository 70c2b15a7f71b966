using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Keep only the kept positions along <see cref="Axis"/> of the constant at <see cref="ChannelEdit.Node"/>'s input <see cref="Input"/>.</summary>
internal sealed record SliceConstantEdit(NodeProto Node, int Input, int Axis, ChannelLayout Layout, SliceRole Role) : ChannelEdit(Node, Layout);
