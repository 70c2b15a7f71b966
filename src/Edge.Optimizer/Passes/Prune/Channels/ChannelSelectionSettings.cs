namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>How <see cref="ChannelSelector"/> chooses channels.</summary>
/// <param name="Sparsity">Fraction of channels to remove, in [0, 1).</param>
/// <param name="Scope">Per group, or one ranking across groups.</param>
/// <param name="Criterion">Channel importance.</param>
/// <param name="MinChannels">No group keeps fewer channels than this.</param>
/// <param name="ChannelMultiple">Kept counts are rounded to a multiple of this (CPU kernels run faster on multiples of 8 or 16).</param>
/// <param name="ExcludedNodes">Layers whose output channels must not be pruned.</param>
/// <param name="Ratios">Per-group ratios by root id (from sensitivity analysis); they replace <paramref name="Sparsity"/> for those groups.</param>
/// <param name="Rejected">Root groups that must stay whole because pruning them broke the model.</param>
/// <param name="Moments">Input channel statistics of the layers (by input tensor): the activation criterion ranks by them, and pruning compensates the removed channels' means in the readers' biases.</param>
internal sealed record ChannelSelectionSettings(
    double Sparsity,
    PruneScope Scope,
    PruneCriterion Criterion,
    int MinChannels,
    int ChannelMultiple,
    IReadOnlySet<string> ExcludedNodes,
    IReadOnlyDictionary<int, double>? Ratios = null,
    IReadOnlySet<int>? Rejected = null,
    IReadOnlyDictionary<string, InputMoments>? Moments = null);
