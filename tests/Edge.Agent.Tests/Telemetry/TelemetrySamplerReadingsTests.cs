using System.Text.Json;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Telemetry;

public sealed class TelemetrySamplerReadingsTests
{
    [Fact]
    public void Sample_WithReadingSources_AddsFiniteReadingsAndSkipsAFailingSource()
    {
        var directory = Directory.CreateTempSubdirectory("edge-readings-").FullName;
        try
        {
            using var inference = new InferenceMetricsCollector();
            ITelemetryReadings[] sources =
            [
                new FixedReadings(("temperatureCelsius", 21.5), ("humidityPercent", double.NaN)),
                new FailingReadings(),
                new FixedReadings(("detections", 3)),
            ];
            var sampler = new TelemetrySampler(
                new SystemMetricsReader(directory, directory), inference, new OutboxStatistics(), new FakeTimeProvider(), sources);

            var sample = sampler.Sample();
            using var json = JsonDocument.Parse(TelemetrySampler.Serialize(sample));
            var readings = json.RootElement.GetProperty("readings");

            Assert.Equal(21.5, readings.GetProperty("temperatureCelsius").GetDouble());
            Assert.Equal(3, readings.GetProperty("detections").GetDouble());
            Assert.False(readings.TryGetProperty("humidityPercent", out _), "NaN cannot be written as JSON and must be left out.");
            Assert.Equal(2, readings.EnumerateObject().Count());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Sample_WithoutReadingSources_LeavesReadingsOut()
    {
        var directory = Directory.CreateTempSubdirectory("edge-readings-").FullName;
        try
        {
            using var inference = new InferenceMetricsCollector();
            var sampler = new TelemetrySampler(new SystemMetricsReader(directory, directory), inference, new OutboxStatistics(), new FakeTimeProvider());

            using var json = JsonDocument.Parse(TelemetrySampler.Serialize(sampler.Sample()));

            Assert.False(json.RootElement.TryGetProperty("readings", out _));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class FixedReadings : ITelemetryReadings
    {
        private readonly (string Name, double Value)[] _values;

        public FixedReadings(params (string Name, double Value)[] values) => _values = values;

        public void Read(IDictionary<string, double> readings)
        {
            foreach (var (name, value) in _values)
            {
                readings[name] = value;
            }
        }
    }

    private sealed class FailingReadings : ITelemetryReadings
    {
        public void Read(IDictionary<string, double> readings) => throw new IOException("I2C bus 1: no acknowledgement from 0x48");
    }
}
