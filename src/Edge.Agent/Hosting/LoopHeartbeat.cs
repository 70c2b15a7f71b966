namespace Edge.Agent.Hosting;

/// <summary>
/// When the telemetry loop last went round. It is the one loop with a fixed cadence whether or not the broker is
/// reachable, so a stale heartbeat means the agent is stuck (a hung disk write, a deadlock), not merely offline;
/// <see cref="SystemdNotifier"/> withholds the watchdog ping then, and systemd restarts the agent.
/// </summary>
internal sealed class LoopHeartbeat
{
    private readonly TimeProvider _time;
    private long _lastTimestamp;

    public LoopHeartbeat(TimeProvider time)
    {
        _time = time;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <summary>Time since the last <see cref="Beat"/> (or since construction).</summary>
    public TimeSpan SinceLastBeat => _time.GetElapsedTime(Interlocked.Read(ref _lastTimestamp));

    public void Beat() => Interlocked.Exchange(ref _lastTimestamp, _time.GetTimestamp());
}
