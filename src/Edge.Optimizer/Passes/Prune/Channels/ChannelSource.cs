using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>A layer whose output channels form a group: its weight input and the axis of output channels in that weight.</summary>
internal sealed record ChannelSource(NodeProto Node, int WeightInput, int Axis, int Group);
