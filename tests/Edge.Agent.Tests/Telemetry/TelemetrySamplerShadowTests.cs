using System.Text.Json;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Edge.Protocol.Ota;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Telemetry;

/// <summary>Telemetry samples carry a running shadow evaluation's figures, and nothing when none runs.</summary>
public sealed class TelemetrySamplerShadowTests
{
    [Fact]
    public void Sample_WhileShadowing_CarriesTheFigures_AfterwardsLeavesThemOut()
    {
        var directory = Directory.CreateTempSubdirectory("edge-shadow-telemetry-").FullName;
        try
        {
            using var inference = new InferenceMetricsCollector();
            var status = new ShadowStatus();
            var sampler = new TelemetrySampler(new SystemMetricsReader(directory, directory), inference, new OutboxStatistics(), new FakeTimeProvider(), shadow: status);

            status.Current = new OtaShadowFigures { Task = "classification", Samples = 12, Agreements = 11, Agreement = 0.916667, Dropped = 2 };
            using (var json = JsonDocument.Parse(TelemetrySampler.Serialize(sampler.Sample())))
            {
                var shadow = json.RootElement.GetProperty("shadow");
                Assert.Equal("classification", shadow.GetProperty("task").GetString());
                Assert.Equal(12, shadow.GetProperty("samples").GetInt64());
                Assert.Equal(2, shadow.GetProperty("dropped").GetInt64());
            }

            status.Current = null;
            using var after = JsonDocument.Parse(TelemetrySampler.Serialize(sampler.Sample()));
            Assert.False(after.RootElement.TryGetProperty("shadow", out _));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
