using Edge.Onnx;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>A channel-pruned model with the analysis and selection that made it.</summary>
internal sealed record ChannelPruneOutcome(OnnxModel Model, ChannelAnalysis Analysis, ChannelSelection Selection, IReadOnlyList<string> Warnings)
{
    /// <summary>What bias compensation did; null when no calibration means were given.</summary>
    public BiasCompensationResult? Compensation { get; init; }
}
