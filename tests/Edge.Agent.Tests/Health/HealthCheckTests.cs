using Edge.Agent.Health;
using Edge.Agent.Hosting;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Health;

public sealed class HealthCheckTests
{
    [Theory]
    [InlineData(0, HealthStatus.Healthy)]
    [InlineData(99, HealthStatus.Healthy)]
    [InlineData(100, HealthStatus.Degraded)]
    [InlineData(999, HealthStatus.Degraded)]
    [InlineData(1000, HealthStatus.Unhealthy)]
    public async Task Outbox_Backlog_StatusByThresholds(long pending, HealthStatus expected)
    {
        var statistics = new OutboxStatistics();
        statistics.Set(pending, pending * 200, 0);
        var options = Options.Create(new EdgeAgentOptions { Health = new HealthOptions { OutboxDegradedRecords = 100, OutboxUnhealthyRecords = 1000 } });

        var result = await new OutboxHealthCheck(statistics, options).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(expected, result.Status);
        Assert.StartsWith($"{pending} records ({pending * 200} bytes) wait for the broker", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_StaleHeartbeat_UnhealthyAfterThreeIntervalsPlusGrace()
    {
        var time = new FakeTimeProvider();
        var heartbeat = new LoopHeartbeat(time);
        var check = new LoopHealthCheck(heartbeat, new TelemetrySchedule(TimeSpan.FromSeconds(10)));

        time.Advance(TimeSpan.FromSeconds(60));
        var alive = await check.CheckHealthAsync(new HealthCheckContext());
        time.Advance(TimeSpan.FromSeconds(0.5));
        var stuck = await check.CheckHealthAsync(new HealthCheckContext());
        heartbeat.Beat();
        var again = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, alive.Status);
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("limit 60 s", stuck.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, again.Status);
    }
}
