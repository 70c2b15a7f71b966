using Edge.Fleet.Storage;

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

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
