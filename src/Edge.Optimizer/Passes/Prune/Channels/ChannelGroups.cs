namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// The channel groups of a model with union-find: groups whose tensors meet in an element-wise op (a residual Add,
/// a gating Mul) must keep the same channel set, so they are joined and pruned as one. A group is frozen (never
/// pruned) when any member was frozen, and the first reason is kept for the report.
/// </summary>
internal sealed class ChannelGroups
{
    private readonly List<int> parent = [];
    private readonly List<int> sizes = [];
    private readonly List<string> origins = [];
    private readonly Dictionary<int, string> frozen = [];

    public int Count => parent.Count;

    public int Add(int size, string origin)
    {
        parent.Add(parent.Count);
        sizes.Add(size);
        origins.Add(origin);
        return parent.Count - 1;
    }

    public int Size(int group) => sizes[group];

    /// <summary>The node that created the group.</summary>
    public string Origin(int group) => origins[group];

    public int Find(int group)
    {
        while (parent[group] != group)
        {
            parent[group] = parent[parent[group]];
            group = parent[group];
        }

        return group;
    }

    /// <summary>Joins two groups of equal size; returns false (and joins nothing) when the sizes differ.</summary>
    public bool Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB)
        {
            return true;
        }

        if (sizes[rootA] != sizes[rootB])
        {
            return false;
        }

        parent[Math.Max(rootA, rootB)] = Math.Min(rootA, rootB);
        return true;
    }

    public void Freeze(int group, string reason) => frozen.TryAdd(group, reason);

    /// <summary>Why the joined group of <paramref name="group"/> cannot be pruned, or <see langword="null"/> when it can.</summary>
    public string? FrozenReason(int group)
    {
        var root = Find(group);
        return frozen.OrderBy(f => f.Key).Where(f => Find(f.Key) == root).Select(f => f.Value).FirstOrDefault();
    }

    /// <summary>Every root group with its members, in creation order.</summary>
    public IEnumerable<(int Root, List<int> Members)> Roots() =>
        Enumerable.Range(0, Count).GroupBy(Find).Select(g => (g.Key, g.ToList()));
}
