using System.Buffers;

namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>Greedy, optionally class-aware non-maximum suppression.</summary>
public static class NonMaxSuppression
{
    /// <summary>
    /// Sorts <paramref name="candidates"/> in place by descending score and writes the survivors to
    /// <paramref name="destination"/>, best first. Allocation-free for up to 1024 candidates above the score threshold
    /// (beyond that a pooled array is rented).
    /// </summary>
    /// <returns>How many detections were written: at most min(options.MaxDetections, destination.Length).</returns>
    public static int Apply(Span<Detection> candidates, NmsOptions options, Span<Detection> destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var eligible = 0;
        while (eligible < candidates.Length && candidates[eligible].Score >= options.ScoreThreshold)
        {
            eligible++;
        }

        var limit = Math.Min(options.MaxDetections, destination.Length);
        bool[]? rented = null;
        var suppressed = eligible <= 1024 ? stackalloc bool[eligible] : (rented = ArrayPool<bool>.Shared.Rent(eligible)).AsSpan(0, eligible);
        suppressed.Clear();
        var kept = 0;
        try
        {
            for (var i = 0; i < eligible && kept < limit; i++)
            {
                if (suppressed[i])
                {
                    continue;
                }

                var best = candidates[i];
                destination[kept++] = best;
                for (var j = i + 1; j < eligible; j++)
                {
                    if (!suppressed[j]
                        && (!options.ClassAware || candidates[j].ClassId == best.ClassId)
                        && best.Box.IntersectionOverUnion(candidates[j].Box) > options.IouThreshold)
                    {
                        suppressed[j] = true;
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<bool>.Shared.Return(rented);
            }
        }

        return kept;
    }

    /// <summary>Allocating convenience over <see cref="Apply(Span{Detection}, NmsOptions, Span{Detection})"/>; the list is reordered.</summary>
    public static Detection[] Apply(List<Detection> candidates, NmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(options);
        var result = new Detection[Math.Min(candidates.Count, options.MaxDetections)];
        var kept = Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates), options, result);
        return result[..kept];
    }
}
