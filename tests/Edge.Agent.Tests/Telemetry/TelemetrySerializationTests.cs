using System.Text.Json;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Tests.Telemetry;

public sealed class TelemetrySerializationTests
{
    /// <summary>A measurement that is not a finite number (percentiles of no calls, a garbled sensor) must not cost the device its telemetry.</summary>
    [Fact]
    public void Serialize_NonFiniteMeasurements_WritesThemAsNullAndTheRestAsIs()
    {
        var sample = new TelemetrySample
        {
            Timestamp = DateTimeOffset.UnixEpoch,
            IntervalMs = 1000,
            System = new SystemFigures { CpuPercent = double.PositiveInfinity, TemperatureCelsius = double.NaN, UptimeSeconds = 12.5 },
            Inference = [new InferenceFigures { Model = "m", Version = "1.0.0", Provider = "cpu", Calls = 0, P50Ms = double.NaN, P95Ms = double.NegativeInfinity, P99Ms = 3 }],
            Outbox = new OutboxFigures(0, 0, 0),
        };

        using var json = JsonDocument.Parse(TelemetrySampler.Serialize(sample));

        var system = json.RootElement.GetProperty("system");
        Assert.Equal(JsonValueKind.Null, system.GetProperty("cpuPercent").ValueKind);
        Assert.Equal(JsonValueKind.Null, system.GetProperty("temperatureCelsius").ValueKind);
        Assert.Equal(12.5, system.GetProperty("uptimeSeconds").GetDouble());
        var inference = json.RootElement.GetProperty("inference")[0];
        Assert.Equal(JsonValueKind.Null, inference.GetProperty("p50Ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, inference.GetProperty("p95Ms").ValueKind);
        Assert.Equal(3, inference.GetProperty("p99Ms").GetDouble());
    }
}
