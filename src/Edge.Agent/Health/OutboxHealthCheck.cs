using Edge.Agent.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Health;

/// <summary>Readiness: the outbox backlog is below <see cref="HealthOptions.OutboxDegradedRecords"/> (Degraded) and <see cref="HealthOptions.OutboxUnhealthyRecords"/> (Unhealthy).</summary>
internal sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly OutboxStatistics _statistics;
    private readonly HealthOptions _options;

    public OutboxHealthCheck(OutboxStatistics statistics, IOptions<EdgeAgentOptions> options)
    {
        _statistics = statistics;
        _options = options.Value.Health;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = _statistics.Pending;
        var description = $"{pending} records ({_statistics.PendingBytes} bytes) wait for the broker; {_statistics.DroppedTotal} dropped so far";
        var result = pending >= _options.OutboxUnhealthyRecords
            ? HealthCheckResult.Unhealthy($"{description} (unhealthy at {_options.OutboxUnhealthyRecords})")
            : pending >= _options.OutboxDegradedRecords
                ? HealthCheckResult.Degraded($"{description} (degraded at {_options.OutboxDegradedRecords})")
                : HealthCheckResult.Healthy(description);
        return Task.FromResult(result);
    }
}
