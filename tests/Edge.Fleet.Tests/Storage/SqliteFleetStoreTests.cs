using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Edge.Fleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Tests.Storage;

/// <summary>The store contract on a SQLite file in a temp folder.</summary>
public sealed class SqliteFleetStoreTests : FleetStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-store-").FullName;

    internal override Task<StoreSpec> SpecAsync() => Task.FromResult(StoreSpec.Parse($"sqlite:{Path.Combine(_directory, "state.db")}", "--store"));

    protected override bool KeepsPackageCopies => false;

    /// <summary>SQLite times leases by the store's <see cref="TimeProvider"/>, here the test's fake clock.</summary>
    protected override Task LetLeaseTimePassAsync(TimeSpan ttl)
    {
        Time.Advance(ttl);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Open_FileAtSchemaVersion2_AddsTheShadowColumnsKeepingItsRows()
    {
        var path = Path.Combine(_directory, "v2.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            FleetDatabase.Execute(connection, FleetSchema.Version1 + FleetSchema.Version2 + "PRAGMA user_version=2;");
            FleetDatabase.Execute(connection, """
                INSERT INTO deployments(id, package_path, package_name, package_version, group_name, options_json, state, created, updated)
                VALUES ('dep-old', 'a.edgepkg', 'mnist', '2.0.0', 'g1', '{"waves":"100%"}', 'completed', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO deployment_devices(deployment, device, wave, state) VALUES ('dep-old', 'd1', 0, 'succeeded');
                """);
        }

        await using var database = await FleetDatabase.OpenAsync(path, CancellationToken.None);
        var store = new SqliteDeploymentStore(database, Time);

        var device = Assert.Single(await store.DevicesAsync("dep-old", CancellationToken.None));
        Assert.Equal(("d1", RolloutStates.Succeeded, (long?)null), (device.Device, device.State, device.ShadowSamples));
        Assert.Null((await store.GetAsync("dep-old", CancellationToken.None)).Options.Shadow);
        Assert.Equal((long)FleetDatabase.SchemaVersion, await database.RunAsync(c => (long)FleetDatabase.Scalar(c, "PRAGMA user_version")!, CancellationToken.None));
    }

    [Fact]
    public async Task Open_FileAtSchemaVersion3_AddsTheDriftTableKeepingItsTelemetry()
    {
        var path = Path.Combine(_directory, "v3.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            FleetDatabase.Execute(connection, FleetSchema.Version1 + FleetSchema.Version2 + FleetSchema.Version3 + "PRAGMA user_version=3;");
        }

        await using (var old = await FleetDatabase.OpenAsync(path, CancellationToken.None))
        {
            var store = new Edge.Fleet.Monitoring.SqliteTelemetryStore(old);
            await store.AddAsync([WithDrift(StoreTestData.Record("d1", 1, StoreTestData.Start), 1.5, 0.3)], StoreTestData.Start, CancellationToken.None);
            Assert.Equal(1.5, Assert.Single(await store.LatestDriftAsync(CancellationToken.None)).Figures.InputDistance);
            Assert.Equal((long)FleetDatabase.SchemaVersion, await old.RunAsync(c => (long)FleetDatabase.Scalar(c, "PRAGMA user_version")!, CancellationToken.None));
        }
    }

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
