using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Set entry <see cref="Entry"/> of the integer constant at input <see cref="Input"/> (a Reshape shape, Resize sizes) to the kept size of the output layout.</summary>
internal sealed record ShapeEntryEdit(NodeProto Node, int Input, int Entry, ChannelLayout Layout) : ChannelEdit(Node, Layout);
