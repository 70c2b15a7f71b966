using Edge.Onnx;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>A channel-pruned model with the analysis and selection that made it.</summary>
internal sealed record ChannelPruneOutcome(OnnxModel Model, ChannelAnalysis Analysis, ChannelSelection Selection, IReadOnlyList<string> Warnings);
