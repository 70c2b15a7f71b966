namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// Paces downloads to a byte rate: each call books its bytes on a timeline advancing at the rate and waits until its
/// start time, so the long-run rate never exceeds the limit while a single burst is never split.
/// </summary>
internal sealed class TransferThrottle
{
    private readonly long _bytesPerSecond;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _nextTimestamp;

    public TransferThrottle(long bytesPerSecond, TimeProvider time)
    {
        _bytesPerSecond = bytesPerSecond;
        _time = time;
    }

    public bool IsLimited => _bytesPerSecond > 0;

    public async ValueTask WaitAsync(long bytes, CancellationToken cancellationToken)
    {
        if (_bytesPerSecond <= 0 || bytes <= 0)
        {
            return;
        }

        TimeSpan delay;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var start = Math.Max(now, _nextTimestamp);
            _nextTimestamp = start + (long)((double)bytes / _bytesPerSecond * _time.TimestampFrequency);
            delay = TimeSpan.FromSeconds((double)(start - now) / _time.TimestampFrequency);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
    }
}
