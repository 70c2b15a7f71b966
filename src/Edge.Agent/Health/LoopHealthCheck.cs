using Edge.Agent.Hosting;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Agent.Health;

/// <summary>
/// Liveness: the telemetry loop went round recently, judged exactly as the systemd watchdog judges it
/// (<see cref="SystemdNotifier.IsLoopAlive"/>). Being offline does not make the agent dead.
/// </summary>
internal sealed class LoopHealthCheck : IHealthCheck
{
    private readonly LoopHeartbeat _heartbeat;
    private readonly TelemetrySchedule _schedule;

    public LoopHealthCheck(LoopHeartbeat heartbeat, TelemetrySchedule schedule)
    {
        _heartbeat = heartbeat;
        _schedule = schedule;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = _heartbeat.SinceLastBeat;
        var limit = (_schedule.Interval * 3) + SystemdNotifier.StallGrace;
        var description = $"the telemetry loop last ran {since.TotalSeconds:F1} s ago (limit {limit.TotalSeconds:F0} s)";
        return Task.FromResult(SystemdNotifier.IsLoopAlive(since, _schedule.Interval)
            ? HealthCheckResult.Healthy(description)
            : HealthCheckResult.Unhealthy(description + "; the agent is stuck"));
    }
}
