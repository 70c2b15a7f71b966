using System.Text;
using System.Text.Json;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Telemetry;

public sealed class TelemetrySamplerTests
{
    [Fact]
    public async Task Sample_AfterOutboxOverflow_ReportsDroppedCount()
    {
        var directory = Directory.CreateTempSubdirectory("edge-sampler-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
            var statistics = new OutboxStatistics();
            await using (var outbox = new SqliteOutbox(Path.Combine(directory, "o.db"), 4096, time, statistics))
            {
                await outbox.OpenAsync(CancellationToken.None);
                for (var i = 0; i < 10; i++)
                {
                    await outbox.EnqueueAsync(Encoding.UTF8.GetBytes($"{{\"pad\":\"{new string('x', 1000)}\"}}"), CancellationToken.None);
                }
            }

            using var inference = new InferenceMetricsCollector();
            var sampler = new TelemetrySampler(new SystemMetricsReader(directory, directory), inference, statistics, time);
            time.Advance(TimeSpan.FromSeconds(10));

            var sample = sampler.Sample();
            using var json = JsonDocument.Parse(TelemetrySampler.Serialize(sample));

            Assert.Equal(6, sample.Outbox.DroppedTotal); // 4096 bytes hold four 1010-byte records
            Assert.Equal(6, json.RootElement.GetProperty("outbox").GetProperty("droppedTotal").GetInt64());
            Assert.Equal(10_000, json.RootElement.GetProperty("intervalMs").GetInt64());
            Assert.Same(sample, sampler.Latest);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
