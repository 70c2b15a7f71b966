namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Which channel groups a tensor's channel axis is made of: the axis, the tensor's rank and the segments in order
/// along the axis. A Conv output has one segment; a Concat output chains its inputs' segments; a Split output holds
/// part of its input's.
/// </summary>
internal sealed class ChannelLayout
{
    public ChannelLayout(int axis, int rank, IReadOnlyList<ChannelSegment> segments)
    {
        Axis = axis;
        Rank = rank;
        Segments = segments;
    }

    public int Axis { get; }

    public int Rank { get; }

    public IReadOnlyList<ChannelSegment> Segments { get; }

    /// <summary>The size of the channel axis.</summary>
    public int Length => Segments.Sum(s => s.Length);

    /// <summary>Whether any position belongs to a prunable group.</summary>
    public bool HasGroups => Segments.Any(s => !s.IsOpaque);

    public IEnumerable<int> Groups => Segments.Where(s => !s.IsOpaque).Select(s => s.Group).Distinct();

    public static ChannelLayout ForGroup(int group, int channels, int axis, int rank) => new(axis, rank, [new ChannelSegment(group, 0, channels, 1)]);

    public ChannelLayout WithAxis(int axis, int rank) => new(axis, rank, Segments);

    /// <summary>The same channels with every channel spread over <paramref name="factor"/> times as many positions.</summary>
    public ChannelLayout Spread(int axis, int rank, int factor) =>
        new(axis, rank, [.. Segments.Select(s => s with { Multiplier = s.Multiplier * factor })]);

    /// <summary>
    /// Positions [<paramref name="start"/>, <paramref name="end"/>) as a layout, or <see langword="null"/> when a
    /// boundary falls inside one channel's positions.
    /// </summary>
    public ChannelLayout? Range(int start, int end, int axis, int rank)
    {
        var result = new List<ChannelSegment>();
        var offset = 0;
        foreach (var segment in Segments)
        {
            var from = Math.Max(start, offset);
            var to = Math.Min(end, offset + segment.Length);
            if (from < to)
            {
                if ((from - offset) % segment.Multiplier != 0 || (to - offset) % segment.Multiplier != 0)
                {
                    return null;
                }

                result.Add(segment.IsOpaque
                    ? ChannelSegment.Opaque(to - from)
                    : segment with { Start = segment.Start + ((from - offset) / segment.Multiplier), Count = (to - from) / segment.Multiplier });
            }

            offset += segment.Length;
        }

        return new ChannelLayout(axis, rank, result);
    }

    /// <summary>
    /// The positions kept along the axis when each group keeps the channels <paramref name="keepOf"/> returns
    /// (ascending; <see langword="null"/> keeps all).
    /// </summary>
    public List<int> KeptPositions(Func<int, IReadOnlyList<int>?> keepOf)
    {
        var positions = new List<int>(Length);
        var offset = 0;
        foreach (var segment in Segments)
        {
            var keep = segment.IsOpaque ? null : keepOf(segment.Group);
            if (keep is null)
            {
                positions.AddRange(Enumerable.Range(offset, segment.Length));
            }
            else
            {
                foreach (var channel in keep)
                {
                    if (channel >= segment.Start && channel < segment.Start + segment.Count)
                    {
                        var first = offset + ((channel - segment.Start) * segment.Multiplier);
                        positions.AddRange(Enumerable.Range(first, segment.Multiplier));
                    }
                }
            }

            offset += segment.Length;
        }

        return positions;
    }

    /// <summary>The positions removed along the axis (ascending): every position <see cref="KeptPositions"/> does not keep.</summary>
    public List<int> RemovedPositions(Func<int, IReadOnlyList<int>?> keepOf)
    {
        var kept = KeptPositions(keepOf).ToHashSet();
        return [.. Enumerable.Range(0, Length).Where(p => !kept.Contains(p))];
    }

    /// <summary>How many kept positions fall before position <paramref name="position"/>.</summary>
    public int KeptBefore(int position, Func<int, IReadOnlyList<int>?> keepOf) => KeptPositions(keepOf).Count(p => p < position);
}
