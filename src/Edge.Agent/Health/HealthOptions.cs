namespace Edge.Agent;

/// <summary>
/// Thresholds of the agent's health checks (<c>Health:</c>), read by <c>/healthz</c> and <c>/readyz</c> on the local
/// HTTP server (docs/local-http.md) and by any <c>HealthCheckService</c> an embedding app asks.
/// </summary>
public sealed class HealthOptions
{
    /// <summary>Outbox records waiting for the broker above which the outbox check reports Degraded, 1 to 100,000,000. Default 1,000.</summary>
    public long OutboxDegradedRecords { get; set; } = 1_000;

    /// <summary>Outbox records waiting above which the outbox check reports Unhealthy (readiness fails), at least <see cref="OutboxDegradedRecords"/>. Default 100,000.</summary>
    public long OutboxUnhealthyRecords { get; set; } = 100_000;

    /// <summary>
    /// An OTA job not ended this long after it arrived makes the OTA check Degraded (a stuck job), 1 minute to 30 days.
    /// Default 6 hours: a download under a daily data budget or a deferral may legitimately take hours.
    /// </summary>
    public TimeSpan OtaJobStuckAfter { get; set; } = TimeSpan.FromHours(6);
}
