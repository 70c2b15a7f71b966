namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// A run of positions along a tensor's channel axis that carries channels <see cref="Start"/>..Start+Count-1 of one
/// channel group, each channel spread over <see cref="Multiplier"/> consecutive positions (more than one after a
/// Flatten or Reshape merged the channel axis with the axes after it). <see cref="Group"/> is -1 for positions that
/// belong to no prunable group (they are always kept).
/// </summary>
internal sealed record ChannelSegment(int Group, int Start, int Count, int Multiplier)
{
    /// <summary>Positions this segment spans along the axis.</summary>
    public int Length => Count * Multiplier;

    /// <summary>Whether these positions belong to no prunable group.</summary>
    public bool IsOpaque => Group < 0;

    public static ChannelSegment Opaque(int length) => new(-1, 0, length, 1);
}
