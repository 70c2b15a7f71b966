namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>The channels each pruned group keeps (ascending), and a decision per group for the report.</summary>
internal sealed class ChannelSelection
{
    public ChannelSelection(IReadOnlyDictionary<int, int[]> keep, IReadOnlyList<ChannelGroupDecision> decisions)
    {
        Keep = keep;
        Decisions = decisions;
    }

    /// <summary>Kept channels by root group; groups absent here keep everything.</summary>
    public IReadOnlyDictionary<int, int[]> Keep { get; }

    public IReadOnlyList<ChannelGroupDecision> Decisions { get; }

    /// <summary>The channels kept by <paramref name="group"/>'s root group, or null when it keeps every channel.</summary>
    public IReadOnlyList<int>? KeptOf(ChannelGroups groups, int group)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Keep.TryGetValue(groups.Find(group), out var keep) ? keep : null;
    }
}
