namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>The layers whose bias took the removed channels' mean, and those that could not, with the reason.</summary>
internal sealed record BiasCompensationResult(IReadOnlyList<string> Compensated, IReadOnlyList<string> Skipped);
