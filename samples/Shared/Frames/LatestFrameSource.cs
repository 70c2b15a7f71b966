namespace Edge.Samples.Frames;

/// <summary>
/// Reads a live source (a camera pipeline on stdin) continuously in the background and hands out only the newest
/// frame, so an app that takes a frame on demand (a button press) gets the picture of that moment rather than one
/// that waited in the pipe, and the camera is never blocked by a full pipe. Frames nobody asked for are dropped.
/// </summary>
public sealed class LatestFrameSource : FrameSource
{
    private readonly FrameSource _inner;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private CapturedFrame _filling = new();
    private CapturedFrame _newest = new();
    private bool _hasNewest;
    private bool _ended;
    private Exception? _error;
    private long _framesRead;
    private long _framesDropped;

    /// <summary>Starts reading <paramref name="inner"/>, which this source owns and disposes.</summary>
    public LatestFrameSource(FrameSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <inheritdoc />
    public override string Description => _inner.Description + " (newest frame on demand)";

    /// <summary>Frames read from the inner source so far.</summary>
    public long FramesRead => Interlocked.Read(ref _framesRead);

    /// <summary>Frames replaced by a newer one before anybody asked for them.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>Returns the newest frame not yet returned, waiting for one if needed.</summary>
    /// <returns>False when the inner source has ended and its last frame was already returned.</returns>
    /// <exception cref="EndOfStreamException">The inner source failed mid-frame (rethrown here).</exception>
    public override async ValueTask<bool> ReadAsync(CapturedFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        while (true)
        {
            lock (_lock)
            {
                if (_hasNewest)
                {
                    frame.CopyFrom(_newest);
                    _hasNewest = false;
                    return true;
                }

                if (_error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                }

                if (_ended)
                {
                    return false;
                }
            }

            await _changed.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        await _inner.DisposeAsync();
        _stop.Dispose();
        _changed.Dispose();
        await base.DisposeAsync();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _inner.ReadAsync(_filling, _stop.Token))
            {
                lock (_lock)
                {
                    (_filling, _newest) = (_newest, _filling);
                    if (_hasNewest)
                    {
                        _framesDropped++;
                    }

                    _hasNewest = true;
                    _framesRead++;
                    Signal();
                }
            }

            lock (_lock)
            {
                _ended = true;
                Signal();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_lock)
            {
                _error = e;
                Signal();
            }
        }
    }

    private void Signal()
    {
        // At most one pending wake-up: readers re-check the state after waking.
        if (_changed.CurrentCount == 0)
        {
            _changed.Release();
        }
    }
}
