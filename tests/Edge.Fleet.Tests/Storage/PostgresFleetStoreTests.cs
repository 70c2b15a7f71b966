using Edge.Fleet.Storage;

namespace Edge.Fleet.Tests.Storage;

/// <summary>The store contract on a real PostgreSQL (one cluster per class, one database per test).</summary>
public sealed class PostgresFleetStoreTests : FleetStoreContract, IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _postgres;

    public PostgresFleetStoreTests(PostgresFixture postgres) => _postgres = postgres;

    internal override async Task<StoreSpec> SpecAsync() => StoreSpec.Parse($"postgres:{await _postgres.CreateDatabaseAsync()}", "--store");

    protected override bool KeepsPackageCopies => true;

    /// <summary>PostgreSQL times leases by its own clock, so real time must pass (a wait for the clock, not a measurement).</summary>
    protected override Task LetLeaseTimePassAsync(TimeSpan ttl) => Task.Delay(ttl);
}
