using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage;
using Edge.Fleet.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Storage;

/// <summary>What only the PostgreSQL store has: migrations, daily partitions, COPY ingest, retention into aggregates.</summary>
public sealed class PostgresStoreTests : IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _postgres;
    private readonly FakeTimeProvider _time = new(Start);

    public PostgresStoreTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Open_TwiceAndConcurrently_AppliesEachMigrationOnce()
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        var spec = StoreSpec.Parse($"postgres:{connectionString}", "--store");

        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => FleetStore.OpenAsync(spec, _time, CancellationToken.None)));
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        await using (var reopened = await FleetStore.OpenAsync(spec, _time, CancellationToken.None))
        {
            await reopened.Groups.AddAsync("g1", "site=lobby", [], CancellationToken.None);
        }

        await using var again = await FleetStore.OpenAsync(spec, _time, CancellationToken.None);
        Assert.Single(await again.Groups.ListAsync(CancellationToken.None));
        var versions = await QueryAsync(connectionString, "SELECT version, name FROM schema_migrations ORDER BY version", r => (r.GetInt32(0), r.GetString(1)));
        Assert.Equal(PostgresMigrations.Scripts.Select(s => (s.Version, s.Name)), versions);
        Assert.Equal((1, "0001_initial"), versions[0]);
    }

    [Fact]
    public async Task Open_DatabaseWithNewerSchema_IsRefusedNamingBothVersions()
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        var spec = StoreSpec.Parse($"postgres:{connectionString}", "--store");
        await (await FleetStore.OpenAsync(spec, _time, CancellationToken.None)).DisposeAsync();
        var newer = PostgresMigrations.LatestVersion + 1;
        await QueryAsync(connectionString, $"INSERT INTO schema_migrations(version, name, applied) VALUES ({newer}, 'from_the_future', now()) RETURNING version", r => r.GetInt32(0));

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => FleetStore.OpenAsync(spec, _time, CancellationToken.None));

        Assert.Contains($"has schema version {newer}; this edge-fleet understands up to {PostgresMigrations.LatestVersion}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"postgres://127.0.0.1:{_postgres.Server.Port}/", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTelemetry_BatchOverThreeDays_CreatesDailyPartitionsAndCopiesEveryRow()
    {
        var (store, _) = await OpenTelemetryAsync();
        await using var owner = store.Owner;
        var records = Enumerable.Range(0, 3000).Select(i => Record($"cam-{i % 10}", i, Start.AddDays(-2).AddSeconds(i * 60))).ToList();

        var written = await store.Telemetry.AddAsync(records, Start, CancellationToken.None);

        Assert.Equal(3000, written);
        Assert.Equal(3000, await store.Telemetry.CountAsync(CancellationToken.None));
        Assert.Equal([new DateOnly(2026, 2, 27), new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 1)], await store.Telemetry.PartitionsAsync(CancellationToken.None));
        Assert.Equal(3000, (await store.Telemetry.QueryAsync(Start.AddDays(-3), null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AddTelemetry_DuplicatesInBatchAndFromTwoInstancesAtOnce_CountedOnce()
    {
        var (first, connectionString) = await OpenTelemetryAsync();
        await using var firstOwner = first.Owner;
        await using var second = await FleetStore.OpenAsync(StoreSpec.Parse($"postgres:{connectionString}", "--store"), _time, CancellationToken.None);
        var records = Enumerable.Range(1, 500).Select(i => Record("cam-a", i, Start.AddSeconds(i))).ToList();

        var written = await Task.WhenAll(
            first.Telemetry.AddAsync([.. records, .. records.Take(10)], Start, CancellationToken.None),
            second.Telemetry.AddAsync(records, Start, CancellationToken.None));
        var replay = await second.Telemetry.AddAsync(records.Take(100).ToList(), Start.AddMinutes(1), CancellationToken.None);

        Assert.Equal(500, written.Sum());
        Assert.Equal(0, replay);
        Assert.Equal(500, await first.Telemetry.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Prune_PartitionsPastRetention_FoldedIntoMinuteAggregatesThenDropped()
    {
        var (store, connectionString) = await OpenTelemetryAsync();
        await using var owner = store.Owner;
        var old = Start.AddDays(-10);
        await store.Telemetry.AddAsync(
        [
            Record("cam-a", 1, old, calls: 10, p95: 4, cpu: 10), Record("cam-a", 2, old.AddSeconds(20), calls: 20, p95: 6, cpu: 30),
            Record("cam-a", 3, old.AddSeconds(40), calls: 30, p95: 8, cpu: 50), Record("cam-a", 4, old.AddSeconds(70), calls: 5, p95: 2, cpu: 40),
            Record("cam-a", 5, Start.AddHours(-1)),
        ], old, CancellationToken.None);

        var deleted = await store.Telemetry.PruneAsync(Start, CancellationToken.None);

        Assert.Equal(4, deleted);
        Assert.Equal([new DateOnly(2026, 3, 1)], await store.Telemetry.PartitionsAsync(CancellationToken.None));
        Assert.Equal(1, await store.Telemetry.CountAsync(CancellationToken.None));
        var minutes = await QueryAsync(connectionString,
            "SELECT minute, samples, calls, errors, p95_ms, p99_ms, cpu_percent FROM telemetry_1m ORDER BY minute",
            r => (r.GetFieldValue<DateTimeOffset>(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)));
        Assert.Equal([(old, 3, 60L, 3L, 6.0, 9.0, 30.0), (old.AddMinutes(1), 1, 5L, 1L, 2.0, 3.0, 40.0)], minutes);

        Assert.Equal(0, await store.Telemetry.PruneAsync(Start, CancellationToken.None));
        Assert.Equal(1, await store.Telemetry.AddAsync([Record("cam-a", 6, old.AddHours(1))], Start, CancellationToken.None)); // a late sample re-creates its day
    }

    [Fact]
    public async Task Prune_ConfiguredRetention_KeepsRawTwoDaysAndAggregatesFive()
    {
        var (store, connectionString) = await OpenTelemetryAsync(new TelemetryRetention { Raw = TimeSpan.FromDays(2), Aggregates = TimeSpan.FromDays(5) });
        await using var owner = store.Owner;
        await store.Telemetry.AddAsync(
            [Record("cam-a", 1, Start.AddDays(-8)), Record("cam-a", 2, Start.AddDays(-4)), Record("cam-a", 3, Start.AddDays(-1))], Start, CancellationToken.None);

        await store.Telemetry.PruneAsync(Start, CancellationToken.None);

        // Under the 7-day default all three would stay raw; here the two older days are folded and the 8-day-old minute is gone.
        Assert.Equal(1, await store.Telemetry.CountAsync(CancellationToken.None));
        var minutes = await QueryAsync(connectionString, "SELECT minute FROM telemetry_1m ORDER BY minute", r => r.GetFieldValue<DateTimeOffset>(0));
        Assert.Equal([Start.AddDays(-4)], minutes);
    }

    [Fact]
    public async Task AddTelemetry_PartitionDroppedByAnotherInstance_IsCreatedAgain()
    {
        var (first, connectionString) = await OpenTelemetryAsync();
        await using var firstOwner = first.Owner;
        var second = (PostgresFleetStore)await FleetStore.OpenAsync(StoreSpec.Parse($"postgres:{connectionString}", "--store"), _time, CancellationToken.None);
        await using var secondOwner = second;
        var old = Start.AddDays(-9);
        await first.Telemetry.AddAsync([Record("cam-a", 1, old)], Start, CancellationToken.None);

        Assert.Equal(1, await second.Telemetry.PruneAsync(Start, CancellationToken.None)); // drops the day the first instance remembers
        var written = await first.Telemetry.AddAsync([Record("cam-a", 2, old.AddMinutes(1))], Start, CancellationToken.None);

        Assert.Equal(1, written);
        Assert.Equal([DateOnly.FromDateTime(old.UtcDateTime)], await first.Telemetry.PartitionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Open_UserWhoMayNotCreateTables_FailsNamingTheMigration()
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        var role = $"reader_{Guid.NewGuid():N}";
        await QueryAsync(connectionString, $"CREATE ROLE {role} LOGIN; SELECT 1", r => r.GetInt32(0)); // PostgreSQL 15+: no CREATE on schema public for others
        var asReader = new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString;

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => FleetStore.OpenAsync(StoreSpec.Parse($"postgres:{asReader}", "--store"), _time, CancellationToken.None));

        Assert.Contains("refused the schema migration (42501", refused.Message, StringComparison.Ordinal);
        Assert.Contains("expected a user that may create tables", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingDatabaseOrClosedPort_FailsWithOneLineNamingServerAndExpectation()
    {
        var missing = StoreSpec.Parse($"postgres:{_postgres.Server.ConnectionString("no_such_database")}", "--store");
        var closedPort = Edge.TestUtilities.Mqtt.FreePort.Next();
        var unreachable = StoreSpec.Parse($"postgres:Host=127.0.0.1;Port={closedPort};Database=fleet;Username=edge;Password=secret-value", "--store");

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => FleetStore.OpenAsync(missing, _time, CancellationToken.None));
        var notThere = await Assert.ThrowsAsync<StoreUnavailableException>(() => FleetStore.OpenAsync(unreachable, _time, CancellationToken.None));

        Assert.Contains("3D000", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_database", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Cannot reach PostgreSQL at postgres://127.0.0.1:{closedPort}/fleet", notThere.Message, StringComparison.Ordinal);
        Assert.Contains("expected a running server", notThere.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", notThere.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message + notThere.Message);
    }

    [Theory]
    [InlineData("postgres:Hots=db;Database=fleet", "connection string is not valid")]
    [InlineData("postgres:Database=fleet", "names no Host")]
    [InlineData("postgres:", "has no connection string")]
    [InlineData("sqlite:", "names no file")]
    [InlineData("mysql:Host=db;Password=hunter2", "is not a store; expected sqlite:<path>")]
    public void Parse_BadSpec_NamesProblemAndExpectedForms(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StoreSpec.Parse(text, "--store"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("--store", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    private async Task<(TelemetryHandle Store, string ConnectionString)> OpenTelemetryAsync(TelemetryRetention? retention = null)
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        var store = (PostgresFleetStore)await FleetStore.OpenAsync(StoreSpec.Parse($"postgres:{connectionString}", "--store"), _time, retention ?? new TelemetryRetention(), CancellationToken.None);
        return (new TelemetryHandle(store, (PostgresTelemetryStore)store.Telemetry), connectionString);
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A PostgreSQL store and its telemetry store, typed for the partition and retention calls.</summary>
    private sealed record TelemetryHandle(PostgresFleetStore Owner, PostgresTelemetryStore Telemetry);
}
