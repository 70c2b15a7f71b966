namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>What happened to one joined channel group, for the report.</summary>
/// <param name="Root">The group's stable id within the analysis (its first member).</param>
/// <param name="Layers">The layers whose output channels form the group.</param>
/// <param name="Channels">Channels before pruning.</param>
/// <param name="Kept">Channels after pruning.</param>
/// <param name="Frozen">Whether it cannot be pruned at all (see <paramref name="Note"/> for why).</param>
/// <param name="Note">Why it was left whole, clamped or scored differently; <see langword="null"/> when pruned as asked.</param>
internal sealed record ChannelGroupDecision(int Root, IReadOnlyList<string> Layers, int Channels, int Kept, bool Frozen, string? Note)
{
    public bool Pruned => Kept < Channels;
}
