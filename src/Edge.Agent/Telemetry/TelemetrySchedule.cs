using Edge.Agent.Hosting;

namespace Edge.Agent.Telemetry;

/// <summary>The telemetry interval, changeable at run time (by the <c>set-telemetry-interval</c> command).</summary>
internal sealed class TelemetrySchedule
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);

    private long _intervalTicks;

    public TelemetrySchedule(TimeSpan initial)
    {
        Check(initial);
        _intervalTicks = initial.Ticks;
    }

    public TimeSpan Interval => TimeSpan.FromTicks(Interlocked.Read(ref _intervalTicks));

    /// <summary>Set whenever the interval changes, so the telemetry loop restarts its wait.</summary>
    public AsyncSignal Changed { get; } = new();

    /// <summary>Changes the interval and returns the previous one.</summary>
    public TimeSpan Change(TimeSpan interval)
    {
        Check(interval);
        var previous = TimeSpan.FromTicks(Interlocked.Exchange(ref _intervalTicks, interval.Ticks));
        Changed.Set();
        return previous;
    }

    private static void Check(TimeSpan interval)
    {
        if (interval < MinimumInterval || interval > MaximumInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval,
                $"The telemetry interval must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumInterval.TotalMilliseconds} ms; got {interval.TotalMilliseconds} ms.");
        }
    }
}
