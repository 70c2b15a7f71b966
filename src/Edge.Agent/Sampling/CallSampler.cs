using System.Threading.Channels;

namespace Edge.Agent.Sampling;

/// <summary>
/// The sampling every inference observer of the agent shares (shadow evaluation, drift statistics, field-data
/// capture): it chooses every call whose running count crosses the next multiple of 1 / fraction, which is
/// deterministic and lock-free, and hands a chosen call's copy to a bounded queue that drops rather than waits. Safe to
/// call from many app threads at once; the counts are exact.
/// </summary>
internal sealed class CallSampler
{
    private long _seen;
    private long _sampled;
    private long _dropped;

    /// <summary>Calls offered to <see cref="Choose"/>.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    /// <summary>Calls chosen.</summary>
    public long Sampled => Interlocked.Read(ref _sampled);

    /// <summary>Chosen calls dropped because their queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts one call and says whether it is chosen at <paramref name="fraction"/> (0 to 1).</summary>
    public bool Choose(double fraction)
    {
        var n = Interlocked.Increment(ref _seen);
        if (Math.Floor(n * fraction) == Math.Floor((n - 1) * fraction))
        {
            return false;
        }

        Interlocked.Increment(ref _sampled);
        return true;
    }

    /// <summary>Offers a chosen call's copy to <paramref name="queue"/>; a full queue drops it and counts it, never waits.</summary>
    /// <returns>True when the copy was queued.</returns>
    public bool Offer<T>(ChannelWriter<T> queue, T item)
    {
        if (queue.TryWrite(item))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }
}
