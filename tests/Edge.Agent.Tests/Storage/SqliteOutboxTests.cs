using System.Text;
using Edge.Agent.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Storage;

public sealed class SqliteOutboxTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-outbox-").FullName;

    private string DatabasePath => Path.Combine(_directory, "outbox.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EnqueueAsync_Full_DropsOldestFirstAndCountsThem()
    {
        await using var outbox = await OpenAsync(maxBytes: 1000);
        for (var i = 0; i < 10; i++)
        {
            await outbox.EnqueueAsync(Record(i, 100), CancellationToken.None);
        }

        Assert.Equal(0, outbox.Statistics.DroppedTotal);
        await outbox.EnqueueAsync(Record(10, 100), CancellationToken.None);
        await outbox.EnqueueAsync(Record(11, 250), CancellationToken.None);

        // 1000 bytes hold ten 100-byte records; the 11th pushes out #1, the 250-byte 12th pushes out #2..#4.
        Assert.Equal(4, outbox.Statistics.DroppedTotal);
        var left = await outbox.ReadOldestAsync(100, 0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i), left.Select(r => r.Sequence));
        Assert.Equal(950, outbox.Statistics.PendingBytes);
        Assert.Equal(8, outbox.Statistics.Pending);
    }

    [Fact]
    public async Task EnqueueAsync_RecordLargerThanBound_ThrowsNamingSizes()
    {
        await using var outbox = await OpenAsync(maxBytes: 4096);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(Record(0, 5000), CancellationToken.None));
        Assert.Contains("5000", error.Message, StringComparison.Ordinal);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_AfterAcknowledgingEverything_IdsKeepRisingAndDroppedCountSurvives()
    {
        await using (var outbox = await OpenAsync(maxBytes: 300))
        {
            for (var i = 0; i < 5; i++)
            {
                await outbox.EnqueueAsync(Record(i, 100), CancellationToken.None);
            }

            await outbox.AcknowledgeThroughAsync(5, CancellationToken.None);
            Assert.Equal(0, outbox.Statistics.Pending);
        }

        await using var reopened = await OpenAsync(maxBytes: 300);
        Assert.Equal(2, reopened.Statistics.DroppedTotal);
        var next = await reopened.EnqueueAsync(Record(5, 100), CancellationToken.None);
        Assert.Equal(6, next);
    }

    [Fact]
    public async Task AcknowledgeThroughAsync_Prefix_RemovesOnlyAcknowledgedRecords()
    {
        await using var outbox = await OpenAsync(maxBytes: 10_000);
        await outbox.EnqueueAsync([Record(0, 30), Record(1, 40), Record(2, 50)], CancellationToken.None);
        await outbox.AcknowledgeThroughAsync(2, CancellationToken.None);

        var left = Assert.Single(await outbox.ReadOldestAsync(10, 0, CancellationToken.None));
        Assert.Equal(3, left.Sequence);
        Assert.Equal(50, outbox.Statistics.PendingBytes);
        Assert.Equal(1_700_000_000_000, left.EnqueuedUnixMilliseconds);
    }

    private async Task<SqliteOutbox> OpenAsync(long maxBytes)
    {
        var outbox = new SqliteOutbox(DatabasePath, maxBytes, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)), new OutboxStatistics());
        await outbox.OpenAsync(CancellationToken.None);
        return outbox;
    }

    private static ReadOnlyMemory<byte> Record(int n, int size)
    {
        var text = $"{{\"n\":{n},\"p\":\"";
        return Encoding.UTF8.GetBytes(text + new string('x', size - text.Length - 2) + "\"}");
    }
}
