namespace Edge.Packaging;

/// <summary>
/// Reference statistics of one float model input in a <see cref="PackageDriftReference"/>: the mean and the population
/// variance of each channel over the reference dataset, in the input's own units (after preprocessing). Channels are
/// laid out as <see cref="DriftStatistics.ChannelCount"/> says: axis 1 for a tensor of rank 2 or more with at most
/// <see cref="DriftStatistics.MaxChannels"/> entries there, otherwise the whole tensor as one channel.
/// </summary>
public sealed class PackageDriftInput
{
    /// <summary>The graph's name for the input; one of the manifest's <c>inputs</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Mean of each channel, finite; 1 to <see cref="DriftStatistics.MaxChannels"/> entries.</summary>
    public IReadOnlyList<double> Means { get; init; } = [];

    /// <summary>Population variance of each channel, finite and zero or more; as many entries as <see cref="Means"/>.</summary>
    public IReadOnlyList<double> Variances { get; init; } = [];
}
