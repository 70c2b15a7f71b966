namespace Edge.Optimizer.Passes.Prune;

/// <summary>Whether the sparsity applies to each layer or to all targeted weights together.</summary>
internal enum PruneScope
{
    /// <summary>Every layer (channel group) loses the same fraction.</summary>
    Layer,

    /// <summary>One ranking across all layers; layers lose different fractions that add up to the target.</summary>
    Global,
}
