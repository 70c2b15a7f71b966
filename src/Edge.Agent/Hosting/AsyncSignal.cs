using System.Threading.Channels;

namespace Edge.Agent.Hosting;

/// <summary>
/// A wake-up flag for background loops: <see cref="Set"/> never blocks and coalesces, <see cref="WaitAsync"/>
/// returns when set or when the timeout on the injected clock passes.
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Set() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for <see cref="Set"/> or <paramref name="timeout"/>; true when it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        using var timer = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);

        // Waiting without throwing: a loop that wakes on its timeout (several times a second) would otherwise throw and
        // catch an OperationCanceledException every time.
        var wait = _channel.Reader.WaitToReadAsync(linked.Token).AsTask();
        await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
